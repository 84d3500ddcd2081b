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
    const now = Math.floor(Date.now() / 1000);
    const state = randomBytes(12).toString('base64url');
    const request = await signWithTppKey(t.pki, {
      iss: clientId,
      aud,
      client_id: clientId,
      response_type: 'code id_token',
      redirect_uri: REDIRECT_URI,
      scope: 'openid accounts',
      state,
      nonce: randomBytes(12).toString('base64url'),
      iat: now,
      nbf: now,
      exp: now + 300,
      jti: randomUUID(),
      ...(responseMode ? { response_mode: responseMode } : {}),
      claims: { id_token: { openbanking_intent_id: { value: intentId, essential: true } } },
    });
    const params = new URLSearchParams({
      client_id: clientId,
      response_type: 'code id_token',
      scope: 'openid accounts',
      request,
    });
    return { url: `${t.bank.issuer}/auth?${params}`, state };
  }

  const authorise = (url: string) =>
    httpsRequest(`${t.bank.url}/__admin/authorise`, t.noCert, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authUrl: url, decision: 'approve', accountIds: ['acc-current-001'] }),
    });

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
