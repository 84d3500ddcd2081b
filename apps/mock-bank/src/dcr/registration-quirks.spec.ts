import { httpsRequest } from '../testing/https-request';
import {
  fetchSsa,
  register,
  registrationClaims,
  signWithTppKey,
  startTestBank,
  type TestBank,
} from '../testing/test-bank';

/** One mock bank in a quirk mode that makes every DCR deviation strict at once. */
describe('mock bank DCR quirk modes', () => {
  let t: TestBank;
  let ssa: string;

  beforeAll(async () => {
    t = await startTestBank({
      quirks: {
        discovery: { wellKnownPath: '/config/openid.json', omitMembers: ['registration_endpoint'] },
        registration: {
          requestContentType: 'application/jose',
          audience: 'issuer',
          scopeFormat: 'array',
          clientIdIssuedAtUnit: 'milliseconds',
          subjectDnFormat: 'oid',
          subjectType: 'pairwise',
          getSupported: false,
          deleteSupported: false,
        },
      },
    });
    ssa = await fetchSsa(t);
  }, 60_000);

  afterAll(() => t.stop());

  const claims = (overrides: Record<string, unknown> = {}) =>
    registrationClaims(t, ssa, {
      aud: t.bank.issuer,
      scope: ['openid', 'accounts', 'payments'],
      subject_type: 'pairwise',
      ...overrides,
    });
  const registerWith = async (overrides: Record<string, unknown> = {}, type = 'application/jose') =>
    register(t, await signWithTppKey(t.pki, claims(overrides)), t.mtls, type);

  it('serves discovery only at its non-standard well-known path (discovery.wellKnownPath)', async () => {
    const moved = await httpsRequest(`${t.bank.issuer}/config/openid.json`, t.noCert);
    expect(moved.status).toBe(200);
    expect(moved.json()).toMatchObject({ issuer: t.bank.issuer });
    // discovery.omitMembers: left out, but on the admin route for whoever writes the profile.
    expect(moved.json().registration_endpoint).toBeUndefined();
    const full = await httpsRequest(`${t.bank.url}/__admin/openid-configuration`, t.noCert);
    expect(full.json().registration_endpoint).toBe(`${t.bank.issuer}/register`);
    const standard = await httpsRequest(
      `${t.bank.issuer}/.well-known/openid-configuration`,
      t.noCert,
    );
    expect(standard.status).toBe(404);
  });

  it('takes a request shaped the way it wants: jose, issuer audience, scope array; answers in ms', async () => {
    const before = Date.now();
    const res = await registerWith();
    expect(res.status).toBe(201);
    const issuedAt = Number(res.json().client_id_issued_at);
    // Milliseconds: within the test's run, not a seconds value 1000 times smaller.
    expect(issuedAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(issuedAt).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it.each([
    [
      'application/jwt instead of application/jose',
      {},
      'application/jwt',
      /only as application\/jose/,
    ],
    [
      'the financial id as audience',
      { aud: '0015800001041RMOCK' },
      undefined,
      /aud must be this bank's issuer/,
    ],
    ['scope as a string', { scope: 'openid accounts' }, undefined, /scope must be a JSON array/],
    ['no subject_type', { subject_type: undefined }, undefined, /subject_type must be pairwise/],
    [
      'another subject_type',
      { subject_type: 'public' },
      undefined,
      /subject_type must be pairwise at this bank \(got public\)/,
    ],
  ])('refuses %s with invalid_client_metadata', async (_what, overrides, type, message) => {
    const res = await registerWith(overrides, type);
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_client_metadata' });
    expect(String(res.json().error_description)).toMatch(message);
  });

  it('refuses the organisation identifier spelt as a name when it wants the OID', async () => {
    const dn = String(t.pki.manifest.transportSubjectDn);
    const named = dn.replace(/2\.5\.4\.97=/, 'organizationIdentifier=');
    expect(named).not.toBe(dn); // the test PKI's DN carries the organisation identifier
    const res = await registerWith({ tls_client_auth_subject_dn: named });
    expect(res.status).toBe(400);
    expect(String(res.json().error_description)).toMatch(/as 2\.5\.4\.97=/);
  });

  it('answers 405 to GET and DELETE /register/{clientId} when it does not support them', async () => {
    const clientId = String((await registerWith()).json().client_id);
    for (const method of ['GET', 'DELETE']) {
      const res = await httpsRequest(`${t.bank.url}/register/${clientId}`, t.mtls, { method });
      expect(res.status).toBe(405);
    }
  });
});

describe('mock bank in manual registration mode', () => {
  let t: TestBank;

  beforeAll(async () => {
    t = await startTestBank({ quirks: { registration: { mode: 'manual' } } });
  }, 60_000);

  afterAll(() => t.stop());

  it('refuses DCR and creates clients through its portal (/__admin/clients) instead', async () => {
    const ssa = await fetchSsa(t);
    const dcr = await register(t, await signWithTppKey(t.pki, registrationClaims(t, ssa)));
    expect(dcr.status).toBe(403);
    const portal = await httpsRequest(`${t.bank.url}/__admin/clients`, t.noCert, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organisationId: t.pki.manifest.organisationId,
        softwareId: t.pki.manifest.softwareId,
        redirectUris: ['https://tpp.example/callback'],
        tokenEndpointAuthMethod: 'client_secret_basic',
      }),
    });
    expect(portal.status).toBe(201);
    const client = portal.json();
    expect(client).toMatchObject({ token_endpoint_auth_method: 'client_secret_basic' });
    const token = await httpsRequest(`${t.bank.issuer}/token`, t.mtls, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${String(client.client_id)}:${String(client.client_secret)}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials&scope=accounts',
    });
    expect(token.status).toBe(200);
  });
});

describe('mock bank of a group whose brands share one client (oneClientPerSoftware)', () => {
  let t: TestBank;

  beforeAll(async () => {
    t = await startTestBank({ quirks: { registration: { oneClientPerSoftware: true } } });
  }, 60_000);

  afterAll(() => t.stop());

  it('registers a software statement once and refuses a second client for it', async () => {
    const ssa = await fetchSsa(t);
    const first = await register(t, await signWithTppKey(t.pki, registrationClaims(t, ssa)));
    expect(first.status).toBe(201);
    const second = await register(t, await signWithTppKey(t.pki, registrationClaims(t, ssa)));
    expect(second.status).toBe(400);
    expect(second.json()).toMatchObject({
      error: 'invalid_software_statement',
      error_description: expect.stringContaining(
        `already has client ${String(first.json().client_id)}`,
      ),
    });
  });
});
