import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { form, httpsRequest } from '../testing/https-request';
import { signWithTppKey, startTestBank, type TestBank } from '../testing/test-bank';

describe('mock OB directory', () => {
  const adminToken = 'test-admin-token';
  let t: TestBank;
  const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    t = await startTestBank({ adminToken });
  }, 60_000);

  afterAll(() => t.stop());

  async function directoryToken(claims: Record<string, unknown> = {}) {
    const { softwareId } = t.pki.manifest;
    const now = Math.floor(Date.now() / 1000);
    const assertion = await signWithTppKey(t.pki, {
      iss: softwareId,
      sub: softwareId,
      aud: `${t.bank.issuer}/directory/token`,
      jti: crypto.randomUUID(),
      iat: now,
      exp: now + 60,
      ...claims,
    });
    return httpsRequest(`${t.bank.url}/directory/token`, t.mtls, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        scope: 'ASPSPReadAccess TPPReadAccess',
      }),
    });
  }

  it('issues an SSA signed by the directory key after a private_key_jwt token over mTLS', async () => {
    const { organisationId, softwareId, directoryKid } = t.pki.manifest;
    const token = await directoryToken();
    expect(token.status).toBe(200);
    const ssaUrl = `${t.bank.url}/directory/organisation/${organisationId}/software-statement/${softwareId}/software-statement-assertion`;
    const res = await httpsRequest(ssaUrl, t.mtls, {
      headers: { authorization: `Bearer ${token.json().access_token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/jwt/);

    const jwks = (
      await httpsRequest(`${t.bank.url}/directory/jwks`, t.noCert)
    ).json<JSONWebKeySet>();
    expect(jwks.keys[0].kid).toBe(directoryKid);
    const { payload, protectedHeader } = await jwtVerify(res.text, createLocalJWKSet(jwks), {
      issuer: 'OpenBanking Ltd',
    });
    expect(protectedHeader).toMatchObject({ alg: 'PS256', kid: directoryKid });
    expect(payload).toMatchObject({
      software_id: softwareId,
      software_client_id: softwareId,
      software_redirect_uris: ['https://tpp.example/callback'],
      software_roles: ['AISP', 'PISP', 'CBPII'],
      org_id: organisationId,
      org_status: 'Active',
      software_environment: 'sandbox',
      software_jwks_endpoint: `${t.bank.issuer}/directory/organisation/${organisationId}/software-statement/${softwareId}/jwks`,
    });
    expect(payload.jti).toEqual(expect.any(String));

    const published = await httpsRequest(String(payload.software_jwks_endpoint), t.noCert);
    expect(published.json<JSONWebKeySet>().keys[0].kid).toBe(t.pki.manifest.signingKid);
  });

  it('refuses the SSA without a directory token, and a token without mTLS or with a wrong audience', async () => {
    const { organisationId, softwareId } = t.pki.manifest;
    const ssaUrl = `${t.bank.url}/directory/organisation/${organisationId}/software-statement/${softwareId}/software-statement-assertion`;
    expect(
      (await httpsRequest(ssaUrl, t.mtls, { headers: { authorization: 'Bearer nope' } })).status,
    ).toBe(401);
    expect((await directoryToken({ aud: 'https://elsewhere.example/token' })).status).toBe(401);
    const noCert = await httpsRequest(`${t.bank.url}/directory/token`, t.noCert, {
      method: 'POST',
      body: '',
    });
    expect(noCert.status).toBe(401);
  });

  it('guards admin routes with the admin token and validates enrolments', async () => {
    expect((await httpsRequest(`${t.bank.url}/__admin/ledger`, t.noCert)).status).toBe(401);
    expect(
      (
        await httpsRequest(`${t.bank.url}/__admin/ledger`, t.noCert, {
          headers: { authorization: 'Bearer wrong' },
        })
      ).status,
    ).toBe(401);
    expect(
      (await httpsRequest(`${t.bank.url}/__admin/ledger`, t.noCert, { headers: admin })).status,
    ).toBe(200);

    const bad = await httpsRequest(
      `${t.bank.url}/__admin/directory/software-statements`,
      t.noCert,
      {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({
          organisationId: 'x',
          softwareId: 'y',
          redirectUris: [],
          signingJwks: { keys: [{ kty: 'RSA', kid: 'k', d: 'secret' }] },
        }),
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.json().error_description).toMatch(/public key/);

    const ok = await httpsRequest(`${t.bank.url}/__admin/directory/software-statements`, t.noCert, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        organisationId: 'org2',
        softwareId: 'soft2',
        redirectUris: ['https://b.example/cb'],
        signingJwks: { keys: [{ kty: 'RSA', kid: 'k', n: 'AQAB', e: 'AQAB' }] },
      }),
    });
    expect(ok.status).toBe(201);
    const ssa = await httpsRequest(`${t.bank.url}/__admin/directory/ssa`, t.noCert, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ organisationId: 'org2', softwareId: 'soft2' }),
    });
    expect(ssa.status).toBe(200);
    expect(ssa.text.split('.')).toHaveLength(3);
  });
});
