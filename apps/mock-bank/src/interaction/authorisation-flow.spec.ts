import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  type JSONWebKeySet,
} from 'jose';
import { CONSENT_STATUS } from '../consents/consent-store';
import { form, httpsRequest } from '../testing/https-request';
import {
  REDIRECT_URI,
  fetchSsa,
  register,
  registrationClaims,
  signWithTppKey,
  startTestBank,
  type TestBank,
} from '../testing/test-bank';

const halfHash = (v: string) =>
  createHash('sha256').update(v).digest().subarray(0, 16).toString('base64url');

describe('mock bank authorisation (FAPI hybrid and code + PKCE flows)', () => {
  let t: TestBank;
  let clientId: string;
  let jwks: ReturnType<typeof createLocalJWKSet>;

  beforeAll(async () => {
    t = await startTestBank();
    const ssa = await fetchSsa(t);
    const res = await register(
      t,
      await signWithTppKey(
        t.pki,
        registrationClaims(t, ssa, { response_types: ['code id_token', 'code'] }),
      ),
    );
    expect(res.status).toBe(201);
    clientId = String(res.json().client_id);
    const keys = await httpsRequest(`${t.bank.issuer}/jwks`, t.noCert);
    jwks = createLocalJWKSet(keys.json<JSONWebKeySet>());
  }, 60_000);

  afterAll(() => t.stop());

  const admin = (path: string, body: unknown) =>
    httpsRequest(`${t.bank.url}/__admin${path}`, t.noCert, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  function newConsent(owner = clientId): string {
    const consentId = `aac-${randomUUID()}`;
    t.bank.consents.create({
      consentId,
      kind: 'account-access',
      clientId: owner,
      status: CONSENT_STATUS.awaitingAuthorisation,
      permissions: ['ReadAccountsDetail', 'ReadBalances'],
      body: { ConsentId: consentId, Status: CONSENT_STATUS.awaitingAuthorisation },
    });
    return consentId;
  }

  interface Flow {
    authUrl: string;
    state: string;
    nonce: string;
    verifier: string;
  }

  async function authUrlFor(intentId: string, mode: 'hybrid' | 'code' = 'hybrid'): Promise<Flow> {
    const now = Math.floor(Date.now() / 1000);
    const state = randomBytes(12).toString('base64url');
    const nonce = randomBytes(12).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    const responseType = mode === 'hybrid' ? 'code id_token' : 'code';
    const request = await signWithTppKey(t.pki, {
      iss: clientId,
      aud: t.bank.issuer,
      client_id: clientId,
      response_type: responseType,
      redirect_uri: REDIRECT_URI,
      scope: 'openid accounts',
      state,
      nonce,
      iat: now,
      nbf: now,
      exp: now + 300,
      jti: randomUUID(),
      claims: {
        id_token: {
          openbanking_intent_id: { value: intentId, essential: true },
          acr: { essential: true, values: ['urn:openbanking:psd2:sca'] },
        },
        userinfo: { openbanking_intent_id: { value: intentId, essential: true } },
      },
      ...(mode === 'code'
        ? {
            response_mode: 'query',
            code_challenge: createHash('sha256').update(verifier).digest('base64url'),
            code_challenge_method: 'S256',
          }
        : {}),
    });
    const params = new URLSearchParams({
      client_id: clientId,
      response_type: responseType,
      scope: 'openid accounts',
      redirect_uri: REDIRECT_URI,
      request,
    });
    return { authUrl: `${t.bank.issuer}/auth?${params}`, state, nonce, verifier };
  }

  async function authorise(authUrl: string, decision: 'approve' | 'deny' = 'approve') {
    const res = await admin('/authorise', { authUrl, decision, accountIds: ['acc-current-001'] });
    return res;
  }

  function responseParams(redirectUrl: string): URLSearchParams {
    const u = new URL(redirectUrl);
    expect(`${u.origin}${u.pathname}`).toBe(REDIRECT_URI);
    return new URLSearchParams(u.hash ? u.hash.slice(1) : u.search);
  }

  const token = (body: Record<string, string>) =>
    httpsRequest(`${t.bank.issuer}/token`, t.mtls, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ client_id: clientId, ...body }),
    });

  const userinfo = (accessToken: string) =>
    httpsRequest(`${t.bank.issuer}/me`, t.mtls, {
      headers: { authorization: `Bearer ${accessToken}` },
    });

  it('serves a consent page a person can use', async () => {
    const consentId = newConsent();
    const { authUrl } = await authUrlFor(consentId);
    const start = await httpsRequest(authUrl, t.noCert);
    expect(start.status).toBe(303);
    const location = String(start.headers.location);
    expect(location).toMatch(/\/interaction\//);
    const setCookies = start.headers['set-cookie'];
    const cookies = (Array.isArray(setCookies) ? setCookies : [])
      .map((c) => c.split(';')[0])
      .join('; ');
    const page = await httpsRequest(new URL(location, t.bank.url).toString(), t.noCert, {
      headers: { cookie: cookies },
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="approve"');
    expect(page.text).toContain('id="deny"');
    expect(page.text).toContain('ReadBalances');
    expect(page.text).toContain('value="acc-current-001"');
    expect(page.text).toContain(t.pki.manifest.softwareId);
  });

  it('runs the hybrid flow: ID token in the fragment, code exchange over mTLS, refresh and expiry', async () => {
    const consentId = newConsent();
    const flow = await authUrlFor(consentId);
    const res = await authorise(flow.authUrl);
    expect(res.status).toBe(200);
    const params = responseParams(res.json<{ redirectUrl: string }>().redirectUrl);
    expect(params.get('state')).toBe(flow.state);
    const code = String(params.get('code'));
    const idToken = String(params.get('id_token'));
    const { payload, protectedHeader } = await jwtVerify(idToken, jwks, {
      issuer: t.bank.issuer,
      audience: clientId,
    });
    expect(protectedHeader.alg).toBe('PS256');
    expect(payload).toMatchObject({
      nonce: flow.nonce,
      openbanking_intent_id: consentId,
      sub: consentId,
      acr: 'urn:openbanking:psd2:sca',
      c_hash: halfHash(code),
      s_hash: halfHash(flow.state),
    });
    expect(payload.auth_time).toEqual(expect.any(Number));

    const stored = t.bank.consents.get(consentId);
    expect(stored?.status).toBe(CONSENT_STATUS.authorised);
    expect(stored?.accountIds).toEqual(['acc-current-001']);
    expect(stored?.psuId).toEqual(expect.any(String));

    const noCert = await httpsRequest(`${t.bank.issuer}/token`, t.noCert, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({
        client_id: clientId,
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
      }),
    });
    expect(noCert.status).toBe(401);

    const exchanged = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
    });
    expect(exchanged.status).toBe(200);
    const tokens = exchanged.json<Record<string, string | number>>();
    expect(tokens.expires_in).toBe(300);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(decodeJwt(String(tokens.id_token))).toMatchObject({
      openbanking_intent_id: consentId,
      at_hash: halfHash(String(tokens.access_token)),
    });
    expect((await userinfo(String(tokens.access_token))).status).toBe(200);

    const refreshed = await token({
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
    });
    expect(refreshed.status).toBe(200);
    const next = refreshed.json<Record<string, string>>();
    expect(next.refresh_token).toEqual(expect.any(String));
    expect(next.refresh_token).not.toBe(tokens.refresh_token);

    const ledger = (await httpsRequest(`${t.bank.url}/__admin/ledger`, t.noCert)).json<{
      counts: { tokenGrants: Record<string, number> };
      events: { grantType?: string; consentId?: string }[];
    }>();
    expect(ledger.counts.tokenGrants.refresh_token).toBeGreaterThanOrEqual(1);
    expect(ledger.events).toContainEqual(
      expect.objectContaining({ grantType: 'refresh_token', consentId }),
    );

    expect((await userinfo(next.access_token)).status).toBe(200);
    const expired = await admin('/tokens/expire', { consentId });
    expect(expired.json()).toMatchObject({ consentId, expired: 2 });
    expect((await userinfo(next.access_token)).status).toBe(401);
    const again = await token({ grant_type: 'refresh_token', refresh_token: next.refresh_token });
    expect(again.status).toBe(200);
    expect((await userinfo(again.json<Record<string, string>>().access_token)).status).toBe(200);
    // Replaying a rotated refresh token is refused (and oidc-provider revokes the grant).
    const reused = await token({
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
    });
    expect(reused.json().error).toBe('invalid_grant');
  });

  it('runs the code flow with PKCE and the query response mode', async () => {
    const consentId = newConsent();
    const flow = await authUrlFor(consentId, 'code');
    const res = await authorise(flow.authUrl);
    expect(res.status).toBe(200);
    const redirectUrl = res.json<{ redirectUrl: string }>().redirectUrl;
    expect(new URL(redirectUrl).hash).toBe('');
    const params = responseParams(redirectUrl);
    expect(params.get('state')).toBe(flow.state);
    const code = String(params.get('code'));
    const wrongVerifier = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: randomBytes(32).toString('base64url'),
    });
    expect(wrongVerifier.status).toBe(400);

    const flow2 = await authUrlFor(newConsent(), 'code');
    const code2 = String(
      responseParams(
        (await authorise(flow2.authUrl)).json<{ redirectUrl: string }>().redirectUrl,
      ).get('code'),
    );
    const ok = await token({
      grant_type: 'authorization_code',
      code: code2,
      redirect_uri: REDIRECT_URI,
      code_verifier: flow2.verifier,
    });
    expect(ok.status).toBe(200);
    expect(decodeJwt(String(ok.json().id_token)).nonce).toBe(flow2.nonce);
  });

  it('refuses a consent that does not exist or belongs to another client', async () => {
    for (const intent of [`aac-${randomUUID()}`, newConsent('another-client')]) {
      const { authUrl } = await authUrlFor(intent);
      const start = await httpsRequest(authUrl, t.noCert);
      expect(String(start.headers.location ?? '')).not.toMatch(/\/interaction\//);
      const res = await authorise(authUrl);
      if (res.status === 200) {
        expect(responseParams(res.json<{ redirectUrl: string }>().redirectUrl).get('error')).toBe(
          'invalid_request_object',
        );
      } else {
        expect(res.status).toBe(422);
      }
    }
    // Not twice either: an authorised consent cannot be authorised again.
    const consentId = newConsent();
    expect((await authorise((await authUrlFor(consentId)).authUrl)).status).toBe(200);
    const second = await authorise((await authUrlFor(consentId)).authUrl);
    expect(second.status === 422 || second.text.includes('error=')).toBe(true);
  });

  it('denies: access_denied to the redirect URI and the consent Rejected', async () => {
    const consentId = newConsent();
    const flow = await authUrlFor(consentId);
    const res = await authorise(flow.authUrl, 'deny');
    expect(res.status).toBe(200);
    const params = responseParams(res.json<{ redirectUrl: string }>().redirectUrl);
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('state')).toBe(flow.state);
    expect(t.bank.consents.get(consentId)?.status).toBe(CONSENT_STATUS.rejected);
  });

  describe('faults', () => {
    afterEach(async () => {
      await admin('/faults/reset', {});
    });

    async function authorisedIdToken() {
      const flow = await authUrlFor(newConsent());
      const res = await authorise(flow.authUrl);
      const params = responseParams(res.json<{ redirectUrl: string }>().redirectUrl);
      return { flow, params, idToken: String(params.get('id_token')) };
    }

    it('wrong-nonce: re-signed by the bank, with another nonce, once', async () => {
      expect((await admin('/faults', { idToken: 'wrong-nonce' })).status).toBe(200);
      const { flow, idToken } = await authorisedIdToken();
      const { payload } = await jwtVerify(idToken, jwks);
      expect(payload.nonce).not.toBe(flow.nonce);
      const after = await authorisedIdToken();
      expect((await jwtVerify(after.idToken, jwks)).payload.nonce).toBe(after.flow.nonce);
    });

    it('bad-signature and alg-none break the signature', async () => {
      await admin('/faults', { idToken: 'bad-signature' });
      await expect(jwtVerify((await authorisedIdToken()).idToken, jwks)).rejects.toThrow();
      await admin('/faults', { idToken: 'alg-none' });
      const none = (await authorisedIdToken()).idToken;
      expect(decodeProtectedHeader(none).alg).toBe('none');
      expect(none.endsWith('.')).toBe(true);
    });

    it('missing-s-hash, extra-untrusted-aud and wrong-intent-id change the claims', async () => {
      await admin('/faults', { idToken: 'missing-s-hash' });
      expect(decodeJwt((await authorisedIdToken()).idToken).s_hash).toBeUndefined();
      await admin('/faults', { idToken: 'extra-untrusted-aud' });
      expect(decodeJwt((await authorisedIdToken()).idToken).aud).toEqual([
        clientId,
        'https://evil.example',
      ]);
      await admin('/faults', { idToken: 'wrong-intent-id', once: false });
      for (let i = 0; i < 2; i += 1) {
        const { idToken, params } = await authorisedIdToken();
        const claims = (await jwtVerify(idToken, jwks)).payload;
        expect(claims.openbanking_intent_id).not.toBe(claims.sub);
        expect(params.get('code')).toEqual(expect.any(String));
      }
    });

    it('token response faults: no-scope-no-expires-in, no-refresh-token and no-at-hash', async () => {
      await admin('/faults', { tokenResponse: 'no-scope-no-expires-in', idToken: 'no-at-hash' });
      const { params, flow } = await authorisedIdToken();
      const res = await token({
        grant_type: 'authorization_code',
        code: String(params.get('code')),
        redirect_uri: REDIRECT_URI,
      });
      const body = res.json();
      expect(body.access_token).toEqual(expect.any(String));
      expect(body.scope).toBeUndefined();
      expect(body.expires_in).toBeUndefined();
      const claims = (await jwtVerify(String(body.id_token), jwks)).payload;
      expect(claims.at_hash).toBeUndefined();
      expect(claims.nonce).toBe(flow.nonce);

      await admin('/faults', { tokenResponse: 'no-refresh-token' });
      const refreshed = await token({
        grant_type: 'refresh_token',
        refresh_token: String(body.refresh_token),
      });
      expect(refreshed.status).toBe(200);
      expect(refreshed.json().refresh_token).toBeUndefined();
    });

    it('rejects an unknown fault', async () => {
      const res = await admin('/faults', { idToken: 'made-up' });
      expect(res.status).toBe(400);
    });
  });
});
