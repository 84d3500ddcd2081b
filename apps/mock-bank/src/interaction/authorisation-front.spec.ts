import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSENT_STATUS, ConsentStore } from '../consents/consent-store';
import { quirksFromProfile, STANDARD_MOCK_BANK_QUIRKS } from '../quirks/mock-bank-quirks';
import { FRONT_CONSENT_PARAM, frontDoorActive, frontParameters } from './authorisation-front';

const PROFILES = join(__dirname, '../../../../bank-profiles');
const COOP = quirksFromProfile(
  JSON.parse(readFileSync(join(PROFILES, 'co-operative-bank.json'), 'utf8')),
);
const front = COOP.authorisation.front;

function consents(): ConsentStore {
  const store = new ConsentStore();
  store.create({
    consentId: 'aac-1',
    kind: 'account-access',
    clientId: 'client-1',
    status: CONSENT_STATUS.awaitingAuthorisation,
    body: {},
  });
  return store;
}

/** The query as finlabsuk/open-banking-connector writes it for the Co-operative Bank. */
const COOP_QUERY =
  'response_type=code&client_id=client-1&redirect_uri=https://tpp.example/callback' +
  '&scope=accounts+offline&state=s1&code_challenge_method=S256&code_challenge=c1' +
  '&login_hint=coop&display=aac-1';

const url = (query: string) => `/auth?data=${Buffer.from(query).toString('base64url')}`;

describe('authorisation front door (quirks.authorisation.front)', () => {
  it('is what the Co-operative Bank profile implies, and off for a standard bank', () => {
    expect(COOP.discovery.served).toBe(false);
    expect(front).toEqual({
      plainOAuth: true,
      consentIdParameter: 'display',
      base64QueryParameter: 'data',
      requiredParameters: ['login_hint=coop'],
      requiredScopes: ['offline'],
    });
    expect(frontDoorActive(front)).toBe(true);
    expect(frontDoorActive(STANDARD_MOCK_BANK_QUIRKS.authorisation.front)).toBe(false);
  });

  it("takes the Co-operative Bank's request and hands its consent to the interaction", () => {
    const params = frontParameters(url(COOP_QUERY), front, consents());
    expect(Object.fromEntries(params)).toEqual({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: 'https://tpp.example/callback',
      scope: 'accounts offline',
      state: 's1',
      code_challenge_method: 'S256',
      code_challenge: 'c1',
      login_hint: 'coop',
      [FRONT_CONSENT_PARAM]: 'aac-1',
    });
  });

  it.each([
    ['the parameters in the plain query', `/auth?${COOP_QUERY}`, /only base64url-encoded/],
    ['a parameter beside data', `${url(COOP_QUERY)}&state=s1`, /got state beside it/],
    ['no consent', url(COOP_QUERY.replace('&display=aac-1', '')), /name the consent in 'display'/],
    [
      'an unknown consent',
      url(COOP_QUERY.replace('aac-1', 'aac-9')),
      /not a consent of this client/,
    ],
    ['another client', url(COOP_QUERY.replace('client-1', 'client-2')), /not a consent of this/],
    ['no login_hint', url(COOP_QUERY.replace('&login_hint=coop', '')), /login_hint=coop/],
    ['no offline scope', url(COOP_QUERY.replace('+offline', '')), /scope offline/],
    ['the openid scope', url(COOP_QUERY.replace('accounts+', 'openid+accounts+')), /no openid/],
    ['a request object', url(`${COOP_QUERY}&request=eyJ.x.y`), /no request object/],
  ])('refuses %s', (_name, requestUrl, message) => {
    expect(() => frontParameters(requestUrl, front, consents())).toThrow(message);
  });

  it('refuses a consent no longer awaiting authorisation, and drops a consent a client names itself', () => {
    const store = consents();
    expect(() =>
      frontParameters(url(`${COOP_QUERY}&${FRONT_CONSENT_PARAM}=aac-2`), front, store),
    ).not.toThrow();
    expect(
      frontParameters(url(`${COOP_QUERY}&${FRONT_CONSENT_PARAM}=aac-2`), front, store).getAll(
        FRONT_CONSENT_PARAM,
      ),
    ).toEqual(['aac-1']);
    store.authorise('aac-1', { psuId: 'p', accountIds: [] });
    expect(() => frontParameters(url(COOP_QUERY), front, store)).toThrow(/is AUTH, not AWAU/);
  });
});
