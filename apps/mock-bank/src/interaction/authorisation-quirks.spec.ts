import { randomBytes, randomUUID } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { CONSENT_STATUS } from '../consents/consent-store';
import { httpsRequest } from '../testing/https-request';
import {
  REDIRECT_URI,
  fetchSsa,
  register,
  registrationClaims,
  signWithTppKey,
  startTestBank,
  type TestBank,
} from '../testing/test-bank';

/** The real bank's audience a profile names (quirks.authorisation.requestObjectAudience). */
const AUDIENCE = 'https://secure1.bank.example';

/** A signed authorisation request's query for one intent (the claims value as given). */
async function authQuery(
  t: TestBank,
  clientId: string,
  options: { intentValue: string; aud: string; scope: string; responseMode?: 'query' },
): Promise<{ query: string; state: string }> {
  const now = Math.floor(Date.now() / 1000);
  const state = randomBytes(12).toString('base64url');
  const request = await signWithTppKey(t.pki, {
    iss: clientId,
    aud: options.aud,
    client_id: clientId,
    response_type: 'code id_token',
    redirect_uri: REDIRECT_URI,
    scope: options.scope,
    state,
    nonce: randomBytes(12).toString('base64url'),
    iat: now,
    nbf: now,
    exp: now + 300,
    jti: randomUUID(),
    ...(options.responseMode ? { response_mode: options.responseMode } : {}),
    claims: {
      id_token: { openbanking_intent_id: { value: options.intentValue, essential: true } },
    },
  });
  const params = new URLSearchParams({
    client_id: clientId,
    response_type: 'code id_token',
    scope: options.scope,
    request,
  });
  return { query: params.toString(), state };
}

const authoriseAt = (t: TestBank, url: string) =>
  httpsRequest(`${t.bank.url}/__admin/authorise`, t.noCert, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ authUrl: url, decision: 'approve', accountIds: ['acc-current-001'] }),
  });

/** The error_description of the redirect an authorisation ended with. */
function redirectError(redirectUrl: string): string | null {
  const u = new URL(redirectUrl);
  return new URLSearchParams(u.hash ? u.hash.slice(1) : u.search).get('error_description');
}

describe('mock bank authorisation quirks: request-object audience and hybrid response in the query', () => {
  let t: TestBank;
  let clientId: string;

  beforeAll(async () => {
    t = await startTestBank({
      quirks: { authorisation: { requestObjectAudience: AUDIENCE, hybridResponseInQuery: true } },
    });
    const res = await register(
      t,
      await signWithTppKey(t.pki, registrationClaims(t, await fetchSsa(t))),
    );
    expect(res.status).toBe(201);
    clientId = String(res.json().client_id);
  }, 60_000);

  afterAll(() => t.stop());

  function newConsent(): string {
    const consentId = `aac-${randomUUID()}`;
    t.bank.consents.create({
      consentId,
      kind: 'account-access',
      clientId,
      status: CONSENT_STATUS.awaitingAuthorisation,
      permissions: ['ReadAccountsDetail'],
      body: { ConsentId: consentId, Status: CONSENT_STATUS.awaitingAuthorisation },
    });
    return consentId;
  }

  async function authUrl(intentId: string, aud: string, responseMode?: 'query') {
    const { query, state } = await authQuery(t, clientId, {
      intentValue: intentId,
      aud,
      scope: 'openid accounts',
      responseMode,
    });
    return { url: `${t.bank.issuer}/auth?${query}`, state };
  }

  const authorise = (url: string) => authoriseAt(t, url);

  /** The error a refused authorisation request carries (redirected, or the bank's own page). */
  async function refusal(url: string): Promise<string> {
    const start = await httpsRequest(url, t.noCert);
    const location = String(start.headers.location ?? '');
    expect(location).not.toMatch(/\/interaction\//);
    if (location) {
      const u = new URL(location, t.bank.issuer);
      return (
        new URLSearchParams(u.hash ? u.hash.slice(1) : u.search).get('error_description') ?? ''
      );
    }
    return start.text;
  }

  it('refuses a request object addressed to the issuer: only the named audience is accepted', async () => {
    const consentId = newConsent();
    const description = await refusal((await authUrl(consentId, t.bank.issuer)).url);
    expect(description).toMatch(/Request Object claims are invalid/);
    expect(t.bank.consents.get(consentId)?.status).toBe(CONSENT_STATUS.awaitingAuthorisation);
  });

  it('authorises a request object addressed to the named audience; the ID token is the issuer’s', async () => {
    const consentId = newConsent();
    const flow = await authUrl(consentId, AUDIENCE);
    const res = await authorise(flow.url);
    expect(res.status).toBe(200);
    const redirect = new URL(res.json<{ redirectUrl: string }>().redirectUrl);
    // No response_mode: the standard fragment.
    const params = new URLSearchParams(redirect.hash.slice(1));
    expect(params.get('state')).toBe(flow.state);
    const jwks = createLocalJWKSet(
      (await httpsRequest(`${t.bank.issuer}/jwks`, t.noCert)).json<JSONWebKeySet>(),
    );
    const { payload } = await jwtVerify(String(params.get('id_token')), jwks, {
      issuer: t.bank.issuer,
      audience: clientId,
    });
    expect(payload.openbanking_intent_id).toBe(consentId);
    expect(t.bank.consents.get(consentId)?.status).toBe(CONSENT_STATUS.authorised);
  });

  it('answers code id_token in the query when the request asks for response_mode=query', async () => {
    const flow = await authUrl(newConsent(), AUDIENCE, 'query');
    const res = await authorise(flow.url);
    expect(res.status).toBe(200);
    const redirect = new URL(res.json<{ redirectUrl: string }>().redirectUrl);
    expect(redirect.hash).toBe('');
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
    expect(redirect.searchParams.get('state')).toBe(flow.state);
    expect(redirect.searchParams.get('code')).toEqual(expect.any(String));
    expect(redirect.searchParams.get('id_token')).toEqual(expect.any(String));
  });
});

/** The app's deep link of payment consents (quirks.authorisation.appLinks). */
const APP_LINK = 'bankapp://open-banking/pis-consent';

describe('mock bank authorisation quirks: intent-id prefix, app-only consents, ID-token iss', () => {
  let t: TestBank;
  let clientId: string;

  beforeAll(async () => {
    t = await startTestBank({
      quirks: {
        authorisation: { intentIdPrefix: 'pfx:', appLinks: { 'domestic-payment': APP_LINK } },
        idToken: { issuer: AUDIENCE, omitIntentId: true },
      },
    });
    const res = await register(
      t,
      await signWithTppKey(t.pki, registrationClaims(t, await fetchSsa(t))),
    );
    expect(res.status).toBe(201);
    clientId = String(res.json().client_id);
  }, 60_000);

  afterAll(() => t.stop());

  function newConsent(kind: 'account-access' | 'domestic-payment'): string {
    const consentId = `${kind === 'account-access' ? 'aac' : 'pdc'}-${randomUUID()}`;
    t.bank.consents.create({
      consentId,
      kind,
      clientId,
      status: CONSENT_STATUS.awaitingAuthorisation,
      ...(kind === 'account-access' ? { permissions: ['ReadAccountsDetail'] } : {}),
      body: { ConsentId: consentId, Status: CONSENT_STATUS.awaitingAuthorisation },
    });
    return consentId;
  }

  const query = (intentValue: string, scope = 'openid accounts') =>
    authQuery(t, clientId, { intentValue, aud: t.bank.issuer, scope });

  it('refuses an intent id without the prefix; authorises the prefixed one', async () => {
    const bare = newConsent('account-access');
    const refused = await authoriseAt(t, `${t.bank.issuer}/auth?${(await query(bare)).query}`);
    expect(refused.status).toBe(200);
    expect(redirectError(refused.json<{ redirectUrl: string }>().redirectUrl)).toMatch(
      /prefixed with 'pfx:'/,
    );
    expect(t.bank.consents.get(bare)?.status).toBe(CONSENT_STATUS.awaitingAuthorisation);

    const prefixed = newConsent('account-access');
    const ok = await authoriseAt(
      t,
      `${t.bank.issuer}/auth?${(await query(`pfx:${prefixed}`)).query}`,
    );
    const redirect = new URL(ok.json<{ redirectUrl: string }>().redirectUrl);
    const params = new URLSearchParams(redirect.hash.slice(1));
    expect(params.get('error')).toBeNull();
    expect(t.bank.consents.get(prefixed)?.status).toBe(CONSENT_STATUS.authorised);
    // The ID token: the named iss, no openbanking_intent_id, still signed by the bank.
    const jwks = createLocalJWKSet(
      (await httpsRequest(`${t.bank.issuer}/jwks`, t.noCert)).json<JSONWebKeySet>(),
    );
    const { payload } = await jwtVerify(String(params.get('id_token')), jwks, {
      issuer: AUDIENCE,
      audience: clientId,
    });
    expect(payload.openbanking_intent_id).toBeUndefined();
  });

  it('authorises an app-only consent through the app link and refuses it at the endpoint', async () => {
    const atEndpoint = newConsent('domestic-payment');
    const viaEndpoint = await authoriseAt(
      t,
      `${t.bank.issuer}/auth?${(await query(`pfx:${atEndpoint}`, 'openid payments')).query}`,
    );
    expect(redirectError(viaEndpoint.json<{ redirectUrl: string }>().redirectUrl)).toMatch(
      /authorised only in the bank's app, through bankapp:\/\/open-banking\/pis-consent/,
    );
    expect(t.bank.consents.get(atEndpoint)?.status).toBe(CONSENT_STATUS.awaitingAuthorisation);

    const inApp = newConsent('domestic-payment');
    const viaApp = await authoriseAt(
      t,
      `${APP_LINK}?${(await query(`pfx:${inApp}`, 'openid payments')).query}`,
    );
    expect(viaApp.status).toBe(200);
    expect(redirectError(viaApp.json<{ redirectUrl: string }>().redirectUrl)).toBeNull();
    expect(t.bank.consents.get(inApp)?.status).toBe(CONSENT_STATUS.authorised);
  });
});
