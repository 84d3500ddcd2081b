import type { AuthorisationQuirks } from '@obc/bank-profiles';
import { createHash } from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import { DomainError } from '@obc/common';
import type { ConnectorConfig } from '@obc/config';
import { KeyStore } from '@obc/fapi';
import type { SecretCipher } from '@obc/persistence';
import type { DiscoveryService } from '@obc/token-management';
import { AuthContextEntity } from './auth-context.entity';
import type { AuthContextRepository } from './auth-context.repository';
import { AuthContextService } from './auth-context.service';
import type { ConsentAuthorisationTarget } from './consent-authorisation-target';
import { ConsentAuthorisationRegistry } from './consent-authorisation.registry';
import {
  FixedClock,
  ISSUER,
  SequenceRandom,
  signingKeyPair,
  testConsent,
  testMetadata,
} from './testing/fixtures';
import { strictMock } from '@obc/test-support/strict-mock';

const NOW = new Date('2026-01-02T03:04:05.000Z');

describe('AuthContextService.create', () => {
  let describeConsent: jest.Mock;
  let registry: ConsentAuthorisationRegistry;
  let repository: jest.Mocked<AuthContextRepository>;
  let discovery: jest.Mocked<DiscoveryService>;
  let cipher: jest.Mocked<SecretCipher>;
  let service: AuthContextService;

  function setUp(consent = testConsent()): void {
    describeConsent = jest.fn().mockResolvedValue(consent);
    const target: ConsentAuthorisationTarget = {
      consentType: 'account-access',
      describe: describeConsent,
      onAuthorised: jest.fn(),
    };
    registry = new ConsentAuthorisationRegistry();
    registry.register(target);
    repository = strictMock<AuthContextRepository>({
      insert: jest.fn(async (e: AuthContextEntity) => Object.assign(e, { created: NOW })),
    });
    discovery = strictMock<DiscoveryService>({
      getMetadata: jest.fn().mockResolvedValue(testMetadata()),
    });
    cipher = strictMock<SecretCipher>({
      encrypt: jest.fn(async (plain: string) => `enc(${plain})`),
    });
    const config = { authContexts: { ttlSeconds: 600 } } as ConnectorConfig;
    service = new AuthContextService(
      registry,
      repository,
      discovery,
      new KeyStore(),
      cipher,
      config,
      new FixedClock(NOW),
      new SequenceRandom(),
    );
  }

  const create = (redirectUri?: string) =>
    service.create({
      consentType: 'account-access',
      consentId: 'consent-1',
      redirectUri,
      appSessionId: 'sess-9',
      createdBy: 'key-1',
      reference: 'ref',
    });

  function saved(): AuthContextEntity {
    expect(repository.insert).toHaveBeenCalledTimes(1);
    return repository.insert.mock.calls[0][0];
  }

  it('stores a single-use context and returns a URL with a signed request object for the intent', async () => {
    setUp();
    const result = await create();
    const row = saved();

    expect(describeConsent).toHaveBeenCalledWith('consent-1');
    expect(discovery.getMetadata).toHaveBeenCalledWith({
      profileId: 'test-bank',
      issuerUrl: ISSUER,
      wellKnownUrl: `${ISSUER}/.well-known/openid-configuration`,
      trustedCaPem: 'CA',
      transport: { id: 'obwac-1', certificatePem: 'CERT', privateKeyPem: 'KEY' },
      metadataOverrides: {},
      acceptIssuerMismatch: false,
      mode: 'fetch',
      jwksUriOptional: false,
    });
    expect(row).toMatchObject({
      consentType: 'account-access',
      consentId: 'consent-1',
      redirectUri: 'https://app.example/cb',
      responseMode: 'fragment',
      appSessionId: 'sess-9',
      codeVerifier: null,
      consumedAt: null,
      createdBy: 'key-1',
      reference: 'ref',
    });
    expect(row.expiresAt.toISOString()).toBe('2026-01-02T03:14:05.000Z');
    expect(row.state).toMatch(/^tok\d+-x{32}$/);
    expect(row.nonce).toMatch(/^tok\d+-x{32}$/);
    expect(row.nonce).not.toBe(row.state);
    expect(result).toEqual({
      id: row.id,
      created: NOW,
      createdBy: 'key-1',
      reference: 'ref',
      authUrl: expect.any(String),
      state: row.state,
      expiresAt: row.expiresAt,
    });

    const url = new URL(result.authUrl);
    expect(`${url.origin}${url.pathname}`).toBe('https://auth.test-bank.example/authorize');
    // The query the bank's endpoint already carries is kept.
    expect(url.searchParams.get('realm')).toBe('ob');
    expect(url.searchParams.get('client_id')).toBe('client-123');
    expect(url.searchParams.get('response_type')).toBe('code id_token');
    expect(url.searchParams.get('scope')).toBe('openid accounts');
    expect(url.searchParams.get('state')).toBe(row.state);
    expect(url.searchParams.get('nonce')).toBe(row.nonce);
    expect(url.searchParams.get('redirect_uri')).toBe('https://app.example/cb');
    expect(url.searchParams.has('response_mode')).toBe(false);
    expect(url.searchParams.has('code_challenge')).toBe(false);

    const request = url.searchParams.get('request') ?? '';
    expect(decodeProtectedHeader(request)).toMatchObject({ alg: 'PS256', kid: 'kid-1' });
    await expect(compactVerify(request, signingKeyPair.publicKey)).resolves.toBeDefined();
    const claims = decodeJwt(request);
    expect(claims).toMatchObject({
      iss: 'client-123',
      aud: ISSUER,
      client_id: 'client-123',
      response_type: 'code id_token',
      redirect_uri: 'https://app.example/cb',
      scope: 'openid accounts',
      state: row.state,
      nonce: row.nonce,
      iat: NOW.getTime() / 1000,
      claims: {
        id_token: {
          openbanking_intent_id: { value: 'aac-bank-0001', essential: true },
          acr: { essential: true },
        },
      },
    });
    expect(claims).not.toHaveProperty('code_challenge');
  });

  it('uses PKCE when the profile asks, keeping the verifier encrypted and bound to the row', async () => {
    setUp(testConsent({}, { pkce: true, responseType: 'code', responseMode: 'query' }));
    const result = await create();
    const row = saved();
    const [[verifier, aad]] = cipher.encrypt.mock.calls;
    expect(aad).toEqual({ table: 'auth_context', rowId: row.id, column: 'codeVerifier' });
    expect(row.codeVerifier).toBe(`enc(${verifier})`);
    expect(row.responseMode).toBe('query');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const url = new URL(result.authUrl);
    expect(url.searchParams.get('code_challenge')).toBe(challenge);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('response_mode')).toBe('query');
    const claims = decodeJwt(url.searchParams.get('request') ?? '');
    expect(claims).toMatchObject({
      code_challenge: challenge,
      code_challenge_method: 'S256',
      response_mode: 'query',
    });
    expect(JSON.stringify(claims)).not.toContain(verifier);
    expect(result.authUrl).not.toContain(verifier);
  });

  it('honours the request object audience quirk and leaves redundant parameters out when told', async () => {
    setUp(
      testConsent(
        {},
        { requestObjectAudience: 'https://aud.example', redundantQueryParams: false },
      ),
    );
    const url = new URL((await create()).authUrl);
    expect(url.searchParams.has('state')).toBe(false);
    expect(url.searchParams.has('nonce')).toBe(false);
    expect(url.searchParams.has('redirect_uri')).toBe(false);
    expect(decodeJwt(url.searchParams.get('request') ?? '').aud).toBe('https://aud.example');
  });

  it("sends the consent type's authorisation endpoint (an app deep link) when the profile names one", async () => {
    setUp(
      testConsent(
        {},
        {
          authorisationEndpointByConsentType: {
            'account-access': 'bankapp://open-banking/ais-consent',
          },
        },
      ),
    );
    const authUrl = (await create()).authUrl;
    expect(authUrl.startsWith('bankapp://open-banking/ais-consent?')).toBe(true);
    const url = new URL(authUrl);
    expect(url.searchParams.get('client_id')).toBe('client-123');
    // The request object is the one the discovery endpoint would get: aud the issuer.
    expect(decodeJwt(url.searchParams.get('request') ?? '').aud).toBe(ISSUER);
  });

  it('keeps the discovery endpoint for consent types the profile does not name', async () => {
    setUp(
      testConsent(
        {},
        { authorisationEndpointByConsentType: { 'domestic-payment': 'bankapp://pay' } },
      ),
    );
    const authUrl = (await create()).authUrl;
    expect(authUrl.startsWith('https://auth.test-bank.example/authorize?realm=ob&')).toBe(true);
  });

  it('writes the profile intentIdPrefix before the intent id in the request object', async () => {
    setUp(testConsent({}, { intentIdPrefix: 'pfx:' }));
    const url = new URL((await create()).authUrl);
    const claims = decodeJwt(url.searchParams.get('request') ?? '').claims as Record<
      string,
      Record<string, { value?: string }>
    >;
    expect(claims.id_token.openbanking_intent_id.value).toBe('pfx:aac-bank-0001');
  });

  const PLAIN_OAUTH2: Partial<AuthorisationQuirks> = {
    protocol: 'oauth2',
    responseType: 'code',
    responseMode: 'query',
    pkce: true,
    consentIdParameter: 'display',
    extraParameters: { login_hint: 'coop' },
    additionalScopes: ['offline'],
  };

  it("protocol 'oauth2': a plain code request naming the consent, without request object or nonce", async () => {
    setUp(testConsent({}, PLAIN_OAUTH2));
    const result = await create();
    const row = saved();
    const url = new URL(result.authUrl);
    const [[verifier]] = cipher.encrypt.mock.calls;
    expect(url.origin + url.pathname).toBe('https://auth.test-bank.example/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      realm: 'ob',
      response_type: 'code',
      client_id: 'client-123',
      redirect_uri: 'https://app.example/cb',
      scope: 'accounts offline',
      state: result.state,
      code_challenge_method: 'S256',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      login_hint: 'coop',
      display: 'aac-bank-0001',
    });
    // The state is still single use and the PKCE verifier kept; the nonce is never sent.
    expect(row.state).toBe(result.state);
    expect(result.authUrl).not.toContain(row.nonce);
    expect(row.codeVerifier).toBe(`enc(${verifier})`);
  });

  it("protocol 'oauth2' with base64QueryParameter: the whole query in that one parameter", async () => {
    setUp(testConsent({}, { ...PLAIN_OAUTH2, base64QueryParameter: 'data' }));
    const url = new URL((await create()).authUrl);
    // The endpoint's own query stays as the bank published it.
    expect([...url.searchParams.keys()]).toEqual(['realm', 'data']);
    const inner = Buffer.from(url.searchParams.get('data') ?? '', 'base64url').toString();
    expect(inner).toMatch(
      /^response_type=code&client_id=client-123&redirect_uri=https:\/\/app\.example\/cb&scope=accounts\+offline&state=[^&]+&code_challenge_method=S256&code_challenge=[^&]+&login_hint=coop&display=aac-bank-0001$/,
    );
  });

  it('keeps an app deep link when adding extra parameters to it', async () => {
    setUp(
      testConsent(
        {},
        {
          authorisationEndpointByConsentType: { 'account-access': 'bankapp://ob/consent' },
          extraParameters: { login_hint: 'x' },
        },
      ),
    );
    const authUrl = (await create()).authUrl;
    expect(authUrl.startsWith('bankapp://ob/consent?')).toBe(true);
    expect(new URL(authUrl).searchParams.get('login_hint')).toBe('x');
  });

  it('adds extra parameters and scopes to an OpenID Connect request too', async () => {
    setUp(testConsent({}, { extraParameters: { login_hint: 'x' }, additionalScopes: ['offline'] }));
    const url = new URL((await create()).authUrl);
    expect(url.searchParams.get('login_hint')).toBe('x');
    expect(url.searchParams.get('scope')).toBe('openid accounts offline');
    expect(decodeJwt(url.searchParams.get('request') ?? '').scope).toBe('openid accounts offline');
  });

  it('takes a registered redirect URI and refuses one not registered', async () => {
    setUp();
    await create('https://app.example/other');
    expect(saved().redirectUri).toBe('https://app.example/other');

    setUp();
    const error = await create('https://evil.example/cb').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'auth-context/redirect-uri-not-registered',
      kind: 'validation',
    });
    expect(repository.insert).not.toHaveBeenCalled();
  });

  it.each(['Authorised', 'Rejected', 'AUTH'])(
    'refuses a consent with status %s (409) without calling the bank',
    async (status) => {
      setUp(testConsent({ status }));
      await expect(create()).rejects.toMatchObject({
        code: 'consent/not-awaiting-authorisation',
        kind: 'conflict',
      });
      expect(discovery.getMetadata).not.toHaveBeenCalled();
      expect(repository.insert).not.toHaveBeenCalled();
    },
  );

  it('accepts the v4.0 status code AWAU', async () => {
    setUp(testConsent({ status: 'AWAU' }));
    await create();
    expect(repository.insert).toHaveBeenCalledTimes(1);
  });

  it('an unknown consent type is an internal error naming the registered ones', async () => {
    setUp();
    await expect(
      service.create({ consentType: 'domestic-vrp', consentId: 'c', createdBy: null }),
    ).rejects.toMatchObject({
      code: 'auth-context/unknown-consent-type',
      kind: 'internal',
      detail: expect.stringContaining('account-access'),
    });
  });

  it('fails clearly when the bank publishes no authorization endpoint', async () => {
    setUp();
    discovery.getMetadata.mockResolvedValue({
      ...testMetadata(),
      authorization_endpoint: undefined,
    });
    await expect(create()).rejects.toMatchObject({ code: 'discovery/no-authorization-endpoint' });
    expect(repository.insert).not.toHaveBeenCalled();
  });

  it('needs no discovery authorization endpoint for a consent type the profile sends elsewhere', async () => {
    setUp(
      testConsent(
        {},
        { authorisationEndpointByConsentType: { 'account-access': 'bankapp://consent' } },
      ),
    );
    discovery.getMetadata.mockResolvedValue({
      ...testMetadata(),
      authorization_endpoint: undefined,
    });
    expect((await create()).authUrl.startsWith('bankapp://consent?')).toBe(true);
  });
});
