import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSENT_STATUS } from '../consents/consent-store';
import { quirksFromProfile } from '../quirks/mock-bank-quirks';
import { httpsRequest } from '../testing/https-request';
import { REDIRECT_URI, startTestBank, type TestBank } from '../testing/test-bank';

const PROFILE = JSON.parse(
  readFileSync(join(__dirname, '../../../../bank-profiles/co-operative-bank.json'), 'utf8'),
) as unknown;

/**
 * The mock bank in the Co-operative Bank's quirk mode (derived from its profile): no discovery
 * document, plain OAuth 2 requests in one base64 `data` parameter naming the consent in
 * `display`, and no ID token anywhere.
 */
describe('mock bank as a plain OAuth 2 bank without discovery (the Co-operative Bank)', () => {
  let t: TestBank;
  let client: { client_id: string; client_secret: string };

  beforeAll(async () => {
    t = await startTestBank({ quirks: quirksFromProfile(PROFILE) });
    const res = await httpsRequest(`${t.bank.url}/__admin/clients`, t.noCert, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organisationId: t.pki.manifest.organisationId,
        softwareId: t.pki.manifest.softwareId,
        redirectUris: [REDIRECT_URI],
        tokenEndpointAuthMethod: 'client_secret_post',
      }),
    });
    expect(res.status).toBe(201);
    client = res.json<{ client_id: string; client_secret: string }>();
  }, 60_000);

  afterAll(() => t.stop());

  function newConsent(): string {
    const consentId = `aac-${randomUUID()}`;
    t.bank.consents.create({
      consentId,
      kind: 'account-access',
      clientId: client.client_id,
      status: CONSENT_STATUS.awaitingAuthorisation,
      permissions: ['ReadAccountsDetail'],
      body: { ConsentId: consentId, Status: CONSENT_STATUS.awaitingAuthorisation },
    });
    return consentId;
  }

  it('publishes no discovery document', async () => {
    const res = await httpsRequest(`${t.bank.url}/.well-known/openid-configuration`, t.noCert);
    expect(res.status).toBe(404);
  });

  /** A consent authorised through a request written as finlabs writes it; its code. */
  async function authorisedCode(): Promise<{ consentId: string; code: string; verifier: string }> {
    const consentId = newConsent();
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const state = randomBytes(16).toString('base64url');
    const query =
      `response_type=code&client_id=${client.client_id}&redirect_uri=${REDIRECT_URI}` +
      `&scope=accounts+offline&state=${state}&code_challenge_method=S256` +
      `&code_challenge=${challenge}&login_hint=coop&display=${consentId}`;
    const authUrl = `${t.bank.issuer}/auth?data=${Buffer.from(query).toString('base64url')}`;
    const authorised = await httpsRequest(`${t.bank.url}/__admin/authorise`, t.noCert, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authUrl, decision: 'approve' }),
    });
    expect(authorised.status).toBe(200);
    const redirect = new URL(authorised.json<{ redirectUrl: string }>().redirectUrl);
    expect(redirect.origin + redirect.pathname).toBe(REDIRECT_URI);
    expect(redirect.searchParams.get('state')).toBe(state);
    expect(redirect.searchParams.has('id_token')).toBe(false);
    expect(t.bank.consents.get(consentId)?.status).toBe(CONSENT_STATUS.authorised);
    return { consentId, code: redirect.searchParams.get('code') as string, verifier };
  }

  const grant = (params: Record<string, string>) =>
    httpsRequest(`${t.bank.url}/token`, t.mtls, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ...params,
        client_id: client.client_id,
        client_secret: client.client_secret,
      }).toString(),
    });

  it('authorises the request written as finlabs writes it; tokens come without an ID token', async () => {
    const { code, verifier } = await authorisedCode();
    const token = await grant({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      scope: 'accounts offline',
    });
    expect(token.status).toBe(200);
    const body = token.json();
    expect(typeof body.access_token).toBe('string');
    expect(body).not.toHaveProperty('id_token');
    const refreshed = await grant({
      grant_type: 'refresh_token',
      refresh_token: String(body.refresh_token),
      scope: 'accounts offline',
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json()).not.toHaveProperty('id_token');
  });

  it('refuses a code grant without the scope (tokenEndpoint.scopeInConsentGrants)', async () => {
    const { code, verifier } = await authorisedCode();
    const refused = await grant({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    expect(refused.status).toBe(400);
    expect(refused.json().error_description).toMatch(/wants the scope \(offline\)/);
    expect(refused.json()).not.toHaveProperty('access_token');
  });

  it('refuses a request that does not name the consent the way the bank takes it', async () => {
    const consentId = newConsent();
    const plain = new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT_URI,
      scope: 'accounts offline',
      state: 's',
      code_challenge_method: 'S256',
      code_challenge: 'c'.repeat(43),
      login_hint: 'coop',
      display: consentId,
    });
    const notWrapped = await httpsRequest(`${t.bank.url}/auth?${plain.toString()}`, t.noCert);
    expect(notWrapped.status).toBe(400);
    plain.delete('display');
    const noConsent = await httpsRequest(
      `${t.bank.url}/auth?data=${Buffer.from(plain.toString()).toString('base64url')}`,
      t.noCert,
    );
    expect(noConsent.status).toBe(400);
    expect(noConsent.text).toContain('name the consent in &#39;display&#39;');
  });
});
