import { X509Certificate } from 'node:crypto';
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

  it('refuses the organisation identifier as #hex when it wants the OID with the text', async () => {
    const hexDn = withHexOrganisationId(t, 0x13);
    const res = await registerWith({ tls_client_auth_subject_dn: hexDn });
    expect(res.status).toBe(400);
    // The hex form is longer than DCR 3.3 allows: this bank keeps the 128-character limit.
    expect(String(res.json().error_description)).toMatch(
      /tls_client_auth_subject_dn must NOT have more than 128 characters/,
    );
    const short = hexDn.replace(/^CN=[^,]+,/, 'CN=x,');
    const res2 = await registerWith({ tls_client_auth_subject_dn: short });
    expect(short.length).toBeLessThanOrEqual(128);
    expect(String(res2.json().error_description)).toMatch(/as 2\.5\.4\.97=<text>/);
  });

  it('answers 405 to GET and DELETE /register/{clientId} when it does not support them', async () => {
    const clientId = String((await registerWith()).json().client_id);
    for (const method of ['GET', 'DELETE']) {
      const res = await httpsRequest(`${t.bank.url}/register/${clientId}`, t.mtls, { method });
      expect(res.status).toBe(405);
    }
  });
});

/**
 * The transport DN of the test PKI with organizationIdentifier as `#hex` of a TLV with the given
 * tag around the identifier's text (0x13: PrintableString, as the test PKI encodes it).
 */
function withHexOrganisationId(t: TestBank, tag: number, text?: string): string {
  const orgId = text ?? `PSDGB-OB-${t.pki.manifest.organisationId}`;
  const tlv = Buffer.concat([Buffer.from([tag, orgId.length]), Buffer.from(orgId, 'latin1')]);
  const dn = String(t.pki.manifest.transportSubjectDn);
  const hexDn = dn.replace(/2\.5\.4\.97=[^,]+/, `2.5.4.97=#${tlv.toString('hex').toUpperCase()}`);
  expect(hexDn).not.toBe(dn);
  return hexDn;
}

/** A bank that wants organizationIdentifier as the hex of its encoding (NatWest group, HSBC...). */
describe('mock bank that wants the organisation identifier as #hex (subjectDnFormat oid-hex)', () => {
  let t: TestBank;
  let ssa: string;

  beforeAll(async () => {
    t = await startTestBank({ quirks: { registration: { subjectDnFormat: 'oid-hex' } } });
    ssa = await fetchSsa(t);
  }, 60_000);

  afterAll(() => t.stop());

  const registerWithDn = async (dn: string) =>
    register(
      t,
      await signWithTppKey(t.pki, registrationClaims(t, ssa, { tls_client_auth_subject_dn: dn })),
      t.mtls,
    );

  it("takes the certificate's own encoding as hex, in either case, in a DN longer than 128", async () => {
    const hexDn = withHexOrganisationId(t, 0x13);
    // The test PKI encodes the identifier as a PrintableString: the TLV is in the certificate.
    const tlvHex = /2\.5\.4\.97=#([0-9A-F]+)/.exec(hexDn)?.[1] ?? '';
    expect(
      new X509Certificate(t.pki.pem.tppTransport).raw.includes(Buffer.from(tlvHex, 'hex')),
    ).toBe(true);
    expect(hexDn.length).toBeGreaterThan(128);
    for (const dn of [hexDn, hexDn.replace(tlvHex, tlvHex.toLowerCase())]) {
      const res = await registerWithDn(dn);
      expect([res.status, res.json().error_description]).toEqual([201, undefined]);
      expect(res.json().tls_client_auth_subject_dn).toBe(dn);
    }
  });

  it.each([
    [
      'the text form',
      (t: TestBank) => String(t.pki.manifest.transportSubjectDn),
      /as 2\.5\.4\.97=#<hex/,
    ],
    [
      'the name form',
      (t: TestBank) =>
        String(t.pki.manifest.transportSubjectDn).replace('2.5.4.97=', 'organizationIdentifier='),
      /as 2\.5\.4\.97=#<hex/,
    ],
    [
      'another tag than the certificate has (UTF8String for its PrintableString)',
      (t: TestBank) => withHexOrganisationId(t, 0x0c),
      /does not match the transport certificate/,
    ],
    [
      'another value',
      (t: TestBank) => withHexOrganisationId(t, 0x13, 'PSDGB-OB-0015800001OTHERX'),
      /does not match the transport certificate/,
    ],
    [
      'a hex value with bytes after its encoding',
      (t: TestBank) =>
        withHexOrganisationId(t, 0x13).replace(/2\.5\.4\.97=#[0-9A-F]+/, (v) => `${v}00`),
      /does not match the transport certificate/,
    ],
    [
      'hex that is not a string type (an INTEGER)',
      (t: TestBank) =>
        String(t.pki.manifest.transportSubjectDn).replace(/2\.5\.4\.97=[^,]+/, '2.5.4.97=#020101'),
      /does not match the transport certificate/,
    ],
  ])('refuses %s with invalid_client_metadata', async (_what, dnOf, message) => {
    const res = await registerWithDn(dnOf(t));
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_client_metadata' });
    expect(String(res.json().error_description)).toMatch(message);
  });

  it('holds a DN sent with private_key_jwt to the same spelling (it is registered all the same)', async () => {
    const claims = (dn: string) =>
      registrationClaims(t, ssa, {
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'PS256',
        tls_client_auth_subject_dn: dn,
      });
    const text = await register(
      t,
      await signWithTppKey(t.pki, claims(String(t.pki.manifest.transportSubjectDn))),
      t.mtls,
    );
    expect(text.status).toBe(400);
    expect(String(text.json().error_description)).toMatch(/as 2\.5\.4\.97=#<hex/);
    const hex = await register(
      t,
      await signWithTppKey(t.pki, claims(withHexOrganisationId(t, 0x13))),
      t.mtls,
    );
    expect([hex.status, hex.json().error_description]).toEqual([201, undefined]);
  });

  it('relaxes only the DN length, to 512 (DCR 3.4): longer is refused, other limits stay', async () => {
    const res = await registerWithDn(`CN=${'a'.repeat(520)}`);
    expect(res.status).toBe(400);
    expect(String(res.json().error_description)).toMatch(
      /tls_client_auth_subject_dn must NOT have more than 512 characters/,
    );
    const bad = await register(
      t,
      await signWithTppKey(
        t.pki,
        registrationClaims(t, ssa, {
          tls_client_auth_subject_dn: withHexOrganisationId(t, 0x13),
          software_id: 'x'.repeat(300),
        }),
      ),
      t.mtls,
    );
    expect(bad.status).toBe(400);
    expect(String(bad.json().error_description)).toMatch(/software_id must NOT have more than/);
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
