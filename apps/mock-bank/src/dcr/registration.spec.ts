import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, decodeJwt } from 'jose';
import { form, httpsRequest } from '../testing/https-request';
import {
  fetchSsa,
  register,
  registrationClaims,
  signWithTppKey,
  startTestBank,
  type TestBank,
} from '../testing/test-bank';

describe('mock bank UK DCR', () => {
  let t: TestBank;
  let ssa: string;

  beforeAll(async () => {
    t = await startTestBank();
    ssa = await fetchSsa(t);
  }, 60_000);

  afterAll(() => t.stop());

  async function registerWith(overrides: Record<string, unknown> = {}) {
    return register(t, await signWithTppKey(t.pki, registrationClaims(t, ssa, overrides)));
  }

  async function clientCredentials(
    clientId: string,
    extra: Record<string, string> = {},
    headers: Record<string, string> = {},
  ) {
    return httpsRequest(`${t.bank.issuer}/token`, t.mtls, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: form({
        grant_type: 'client_credentials',
        scope: 'accounts',
        client_id: clientId,
        ...extra,
      }),
    });
  }

  it('advertises the registration endpoint and mTLS settings in discovery', async () => {
    const res = await httpsRequest(`${t.bank.issuer}/.well-known/openid-configuration`, t.noCert);
    const d = res.json();
    expect(d.registration_endpoint).toBe(`${t.bank.issuer}/register`);
    expect(d.token_endpoint).toBe(`${t.bank.issuer}/token`);
    expect(d.jwks_uri).toEqual(expect.stringContaining(t.bank.issuer));
    expect(d.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['tls_client_auth', 'private_key_jwt']),
    );
    expect(d.tls_client_certificate_bound_access_tokens).toBe(true);
    expect(d.id_token_signing_alg_values_supported).toEqual(['PS256']);
  });

  it('registers a tls_client_auth client and issues it a certificate-bound client-credentials token', async () => {
    const res = await registerWith();
    expect(res.status).toBe(201);
    const body = res.json();
    expect(body.client_id).toEqual(expect.any(String));
    expect(body.client_id_issued_at).toEqual(expect.any(Number));
    expect(body.client_secret).toBeUndefined();
    expect(body.token_endpoint_auth_method).toBe('tls_client_auth');
    expect(body.software_id).toBe(t.pki.manifest.softwareId);
    expect(body.redirect_uris).toEqual(['https://tpp.example/callback']);

    await httpsRequest(`${t.bank.url}/__admin/reset`, t.noCert, { method: 'POST' });
    const token = await clientCredentials(String(body.client_id));
    expect(token.status).toBe(200);
    expect(token.json()).toMatchObject({ token_type: 'Bearer', scope: 'accounts' });

    const withoutCert = await httpsRequest(`${t.bank.issuer}/token`, t.noCert, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({
        grant_type: 'client_credentials',
        scope: 'accounts',
        client_id: String(body.client_id),
      }),
    });
    expect(withoutCert.status).toBe(401);

    const ledger = (await httpsRequest(`${t.bank.url}/__admin/ledger`, t.noCert)).json<{
      counts: {
        tokenGrants: Record<string, number>;
        tokenGrantsByClient: Record<string, Record<string, number>>;
      };
    }>();
    expect(ledger.counts.tokenGrants).toEqual({ client_credentials: 1 });
    expect(ledger.counts.tokenGrantsByClient[String(body.client_id)]).toEqual({
      client_credentials: 1,
    });
  });

  it('registers a private_key_jwt client that authenticates with a PS256 client assertion', async () => {
    const res = await registerWith({
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'PS256',
    });
    expect(res.status).toBe(201);
    const clientId = String(res.json().client_id);
    const now = Math.floor(Date.now() / 1000);
    const assertion = await signWithTppKey(t.pki, {
      iss: clientId,
      sub: clientId,
      aud: `${t.bank.issuer}/token`,
      jti: crypto.randomUUID(),
      iat: now,
      exp: now + 60,
    });
    const token = await clientCredentials(clientId, {
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    expect(token.status).toBe(200);
    expect(token.json().access_token).toEqual(expect.any(String));

    const forged = await new SignJWT({
      iss: clientId,
      sub: clientId,
      aud: `${t.bank.issuer}/token`,
      jti: crypto.randomUUID(),
    })
      .setProtectedHeader({ alg: 'PS256', kid: t.pki.manifest.signingKid })
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    const refused = await clientCredentials(clientId, {
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: forged,
    });
    expect(refused.status).toBe(401);
  });

  it('issues a client secret for client_secret_basic', async () => {
    const res = await registerWith({ token_endpoint_auth_method: 'client_secret_basic' });
    expect(res.status).toBe(201);
    const { client_id: clientId, client_secret: secret } = res.json<{
      client_id: string;
      client_secret: string;
    }>();
    expect(secret).toEqual(expect.any(String));
    const basic = Buffer.from(
      `${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`,
    ).toString('base64');
    const token = await httpsRequest(`${t.bank.issuer}/token`, t.mtls, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${basic}`,
      },
      body: form({ grant_type: 'client_credentials', scope: 'accounts' }),
    });
    expect(token.status).toBe(200);
  });

  it('accepts application/jose and the issuer as audience', async () => {
    const jwt = await signWithTppKey(t.pki, registrationClaims(t, ssa, { aud: t.bank.issuer }));
    const res = await register(t, jwt, t.mtls, 'application/jose');
    expect(res.status).toBe(201);
  });

  describe('refusals', () => {
    it('refuses a registration without a client certificate (401)', async () => {
      const res = await register(
        t,
        await signWithTppKey(t.pki, registrationClaims(t, ssa)),
        t.noCert,
      );
      expect(res.status).toBe(401);
    });

    it('refuses a client certificate from another CA (401)', async () => {
      const res = await register(t, await signWithTppKey(t.pki, registrationClaims(t, ssa)), {
        ca: t.pki.pem.ca,
        cert: t.pki.pem.untrustedTransport,
        key: t.pki.pem.untrustedTransportKey,
      });
      expect(res.status).toBe(401);
    });

    it('refuses a software statement not signed by the directory', async () => {
      const fake = await new SignJWT(decodeJwt(ssa))
        .setProtectedHeader({ alg: 'PS256', kid: t.pki.manifest.directoryKid })
        .sign(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
      const res = await registerWith({ software_statement: fake });
      expect(res.status).toBe(400);
      expect(res.json().error).toBe('invalid_software_statement');
    });

    it('refuses claims that fail OBClientRegistration1', async () => {
      const res = await registerWith({
        grant_types: [],
        jti: 'not-a-uuid',
        application_type: 'desktop',
      });
      expect(res.status).toBe(400);
      const body = res.json<{ error: string; error_description: string }>();
      expect(body.error).toBe('invalid_client_metadata');
      expect(body.error_description).toMatch(/grant_types/);
      expect(body.error_description).toMatch(/jti/);
      expect(body.error_description).toMatch(/application_type/);
    });

    it('refuses a redirect URI that is not in the software statement', async () => {
      const res = await registerWith({
        redirect_uris: ['https://tpp.example/callback', 'https://evil.example/cb'],
      });
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({
        error: 'invalid_redirect_uri',
        error_description: expect.stringContaining('https://evil.example/cb'),
      });
    });

    it('refuses a request signed with a key the directory does not publish', async () => {
      const jwt = await new SignJWT(registrationClaims(t, ssa))
        .setProtectedHeader({ alg: 'PS256', kid: t.pki.manifest.signingKid })
        .sign(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
      const res = await register(t, jwt);
      expect(res.status).toBe(400);
      expect(res.json().error).toBe('invalid_client_metadata');
    });

    it('refuses a subject DN in ASN.1 order or naming another certificate', async () => {
      const reversed = t.pki.manifest.transportSubjectDn.split(',').reverse().join(',');
      for (const dn of [reversed, `CN=someone-else,OU=${t.pki.manifest.organisationId}`]) {
        const res = await registerWith({ tls_client_auth_subject_dn: dn });
        expect(res.status).toBe(400);
        expect(res.json().error_description).toMatch(/tls_client_auth_subject_dn/);
      }
    });

    it('accepts organizationIdentifier spelt by name', async () => {
      const dn = t.pki.manifest.transportSubjectDn.replace('2.5.4.97=', 'organizationIdentifier=');
      expect((await registerWith({ tls_client_auth_subject_dn: dn })).status).toBe(201);
    });

    it('refuses the wrong audience and an expired request', async () => {
      expect((await registerWith({ aud: 'someotherbank' })).json().error).toBe(
        'invalid_client_metadata',
      );
      const past = Math.floor(Date.now() / 1000) - 3600;
      expect((await registerWith({ iat: past - 60, exp: past })).json().error_description).toMatch(
        /expired/,
      );
    });
  });

  describe('GET and DELETE /register/{clientId}', () => {
    it("reads and deletes a registration with that client's certificate-bound token", async () => {
      const registered = await registerWith();
      const clientId = String(registered.json().client_id);
      const other = String((await registerWith()).json().client_id);
      const token = String((await clientCredentials(clientId)).json().access_token);
      const otherToken = String((await clientCredentials(other)).json().access_token);
      const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

      const read = await httpsRequest(`${t.bank.url}/register/${clientId}`, t.mtls, {
        headers: bearer(token),
      });
      expect(read.status).toBe(200);
      expect(read.json()).toMatchObject({
        client_id: clientId,
        software_id: t.pki.manifest.softwareId,
      });

      expect(
        (
          await httpsRequest(`${t.bank.url}/register/${clientId}`, t.mtls, {
            headers: bearer(otherToken),
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await httpsRequest(`${t.bank.url}/register/${clientId}`, t.noCert, {
            headers: bearer(token),
          })
        ).status,
      ).toBe(401);
      expect((await httpsRequest(`${t.bank.url}/register/${clientId}`, t.mtls)).status).toBe(401);

      const updated = await httpsRequest(`${t.bank.url}/register/${clientId}`, t.mtls, {
        method: 'PUT',
        headers: { ...bearer(token), 'content-type': 'application/jwt' },
        body: await signWithTppKey(t.pki, registrationClaims(t, ssa, { scope: 'openid accounts' })),
      });
      expect(updated.status).toBe(200);
      expect(updated.json()).toMatchObject({ client_id: clientId, scope: 'openid accounts' });

      const deleted = await httpsRequest(`${t.bank.url}/register/${clientId}`, t.mtls, {
        method: 'DELETE',
        headers: bearer(token),
      });
      expect(deleted.status).toBe(204);
      expect(
        (
          await httpsRequest(`${t.bank.url}/register/${clientId}`, t.mtls, {
            headers: bearer(token),
          })
        ).status,
      ).toBe(401);
      expect((await clientCredentials(clientId)).status).toBe(401);

      const ledger = (await httpsRequest(`${t.bank.url}/__admin/ledger`, t.noCert)).json<{
        counts: Record<string, number>;
      }>();
      expect(ledger.counts.registerReads).toBeGreaterThanOrEqual(1);
      expect(ledger.counts.registerDeletes).toBe(1);
    });
  });
});
