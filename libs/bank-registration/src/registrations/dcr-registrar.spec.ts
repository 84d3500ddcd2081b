import type { Clock } from '@obc/common';
import type { SecretCipher } from '@obc/persistence';
import type { OpenIdMetadata } from '@obc/token-management';
import type { JwtSigner } from '../shared/jwt-signer';
import { SoftwareStatementEntity } from '../software-statements/software-statement.entity';
import type { SoftwareStatementService } from '../software-statements/software-statement.service';
import { testProfile } from '../testing/fixtures';
import { strictMock } from '@obc/test-support/strict-mock';
import { makeCertificate } from '../testing/test-certificates';
import { BankRegistrationEntity } from './bank-registration.entity';
import type { BankSession, BankSessionFactory } from './bank-session.factory';
import { DcrRegistrar } from './dcr-registrar';
import { RegistrationEndpointClient } from './registration-endpoint.client';
import type { BankHttpClient } from '@obc/bank-http';
import type { ConfiguredBankProfile } from '@obc/bank-profiles';

const ROW_ID = '22222222-2222-4222-8222-222222222222';
const JTI = '33333333-3333-4333-8333-333333333333';

async function session(
  registration: Partial<ConfiguredBankProfile['registration']> = {},
): Promise<BankSession> {
  const cert = await makeCertificate();
  return {
    profile: testProfile({}, registration) as ConfiguredBankProfile,
    metadata: {
      issuer: 'https://localhost:8443',
      token_endpoint: 'https://localhost:8443/token',
      jwks_uri: 'https://localhost:8443/jwks',
      registration_endpoint: 'https://localhost:8443/register',
      raw: {},
    } as OpenIdMetadata,
    transport: {
      id: 'obwac-1',
      certificatePem: cert.certificatePem,
      privateKeyPem: cert.privateKeyPem,
    },
    signingKey: { kid: 'kid-1', privateKeyPem: 'seal-key' },
  };
}

function pendingRow(): BankRegistrationEntity {
  const row = new BankRegistrationEntity();
  Object.assign(row, {
    id: ROW_ID,
    bankProfile: 'mock-bank',
    status: 'pending',
    redirectUris: ['https://tpp.example/cb'],
    scopes: ['openid', 'accounts'],
    dcrJti: JTI,
  });
  return row;
}

describe('DcrRegistrar', () => {
  it('signs the claims with the OBSeal key, posts them and stores the answer with secrets encrypted', async () => {
    const s = await session({ clientIdIssuedAtUnit: 'milliseconds' });
    const sessions = strictMock<BankSessionFactory>({ open: jest.fn(async () => s) });
    const statements = strictMock<SoftwareStatementService>({
      ssaOf: jest.fn(async () => 'the.ssa.jwt'),
    });
    const endpoint = strictMock<RegistrationEndpointClient>({
      register: jest.fn(async () => ({
        status: 201,
        headers: {},
        rawBody: '',
        interactionId: 'ia-1',
        data: {
          client_id: 'client-9',
          client_secret: 'sec',
          registration_access_token: 'rat',
          client_id_issued_at: 1_700_000_000_000,
        },
      })),
    });
    const signer = strictMock<JwtSigner>({ sign: jest.fn(async () => 'signed.jwt.value') });
    const cipher = strictMock<SecretCipher>({
      encrypt: jest.fn(async (plain: string, aad) => `enc:${aad.column}:${plain.length}`),
    });
    const clock = { nowSeconds: () => 1_700_000_000 } as Clock;
    const statement = Object.assign(new SoftwareStatementEntity(), {
      id: 'ss-1',
      softwareId: 'soft1',
    });

    const { row, interactionId } = await new DcrRegistrar(
      sessions,
      statements,
      endpoint,
      signer,
      cipher,
      clock,
    ).register(pendingRow(), statement);

    const [claims, key] = signer.sign.mock.calls[0];
    expect(key).toEqual({ kid: 'kid-1', privateKeyPem: 'seal-key' });
    expect(claims).toMatchObject({
      iss: 'soft1',
      jti: JTI,
      aud: '0015800001041RbAAI',
      software_statement: 'the.ssa.jwt',
      iat: 1_700_000_000,
    });
    expect(endpoint.register).toHaveBeenCalledWith(s, 'signed.jwt.value');
    expect(interactionId).toBe('ia-1');
    expect(row).toMatchObject({
      status: 'registered',
      externalApiId: 'client-9',
      clientSecret: 'enc:clientSecret:3',
      registrationAccessToken: 'enc:registrationAccessToken:3',
      tokenEndpointAuthMethod: 'private_key_jwt',
    });
    expect(row.externalApiResponse).toEqual({
      client_id: 'client-9',
      client_id_issued_at: 1_700_000_000,
    });
    expect(cipher.encrypt).toHaveBeenCalledWith('sec', {
      table: 'bank_registration',
      rowId: ROW_ID,
      column: 'clientSecret',
    });
    expect(cipher.encrypt).toHaveBeenCalledWith('rat', {
      table: 'bank_registration',
      rowId: ROW_ID,
      column: 'registrationAccessToken',
    });
  });
});

describe('RegistrationEndpointClient', () => {
  it.each(['application/jwt', 'application/jose'] as const)(
    'posts the JWT as %s over the OBWAC transport',
    async (contentType) => {
      const s = await session({ requestContentType: contentType });
      s.trustedCaPem = 'CA PEM';
      const http = strictMock<BankHttpClient>({
        request: jest.fn(async () => ({
          status: 201,
          headers: {},
          data: {},
          rawBody: '{}',
          interactionId: 'i',
        })),
      });
      await new RegistrationEndpointClient(http).register(s, 'a.b.c');
      expect(http.request).toHaveBeenCalledWith(
        expect.objectContaining({
          method: 'POST',
          url: 'https://localhost:8443/register',
          body: 'a.b.c',
          headers: expect.objectContaining({ 'content-type': contentType }),
          transport: s.transport,
          trustedCaPem: 'CA PEM',
          financialId: '0015800001041RbAAI',
        }),
      );
    },
  );

  it('prefers the mTLS alias and addresses /register/{ClientId} with the bearer', async () => {
    const s = await session();
    s.metadata.mtls_endpoint_aliases = {
      registration_endpoint: 'https://mtls.localhost:8443/register/',
    };
    const http = strictMock<BankHttpClient>({
      request: jest.fn(async () => ({
        status: 200,
        headers: {},
        data: {},
        rawBody: '{}',
        interactionId: 'i',
      })),
    });
    await new RegistrationEndpointClient(http).read(s, 'client 1', 'tok');
    expect(http.request).toHaveBeenCalledWith(
      expect.objectContaining({
        method: 'GET',
        url: 'https://mtls.localhost:8443/register/client%201',
        headers: { authorization: 'Bearer tok' },
      }),
    );
  });
});
