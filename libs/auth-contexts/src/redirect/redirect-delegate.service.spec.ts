import type { AuthorisationQuirks } from '@obc/bank-profiles';
import type { ConsentType } from '@obc/bank-profiles';
import { DomainError } from '@obc/common';
import { IdTokenError, type IdTokenValidator } from '@obc/fapi';
import type { SecretCipher } from '@obc/persistence';
import {
  ConsentGrantError,
  type ConsentTokenService,
  type DiscoveryService,
  type TokenService,
  type TokenSet,
} from '@obc/token-management';
import { AuthContextEntity } from '../auth-context.entity';
import type { AuthContextRepository } from '../auth-context.repository';
import type { ConsentDescription } from '../consent-authorisation-target';
import { ConsentAuthorisationRegistry } from '../consent-authorisation.registry';
import { FixedClock, ISSUER, JWKS_URI, testConsent, testMetadata } from '../testing/fixtures';
import { strictMock } from '@obc/test-support/strict-mock';
import { RedirectDelegateService, type RedirectParameters } from './redirect-delegate.service';

const NOW = new Date('2026-01-02T03:04:05.000Z');
const TOKENS: TokenSet = {
  accessToken: 'at-1',
  refreshToken: 'rt-1',
  idToken: 'token-id-token',
  expiresIn: 300,
  tokenType: 'Bearer',
};

function contextRow(patch: Partial<AuthContextEntity> = {}): AuthContextEntity {
  return Object.assign(new AuthContextEntity(), {
    id: 'ctx-1',
    consentType: 'account-access',
    consentId: 'consent-1',
    state: 'state-1',
    nonce: 'nonce-1',
    codeVerifier: null,
    redirectUri: 'https://app.example/cb',
    responseMode: 'fragment',
    appSessionId: null,
    expiresAt: new Date(NOW.getTime() + 60_000),
    consumedAt: NOW,
    ...patch,
  });
}

describe('RedirectDelegateService.complete', () => {
  let consumed: Set<string>;
  let rows: Map<string, AuthContextEntity>;
  let onAuthorised: jest.Mock;
  let describeConsent: jest.Mock;
  let repository: jest.Mocked<AuthContextRepository>;
  let discovery: jest.Mocked<DiscoveryService>;
  let idTokens: jest.Mocked<IdTokenValidator>;
  let tokens: jest.Mocked<TokenService>;
  let consentTokens: jest.Mocked<ConsentTokenService>;
  let cipher: jest.Mocked<SecretCipher>;
  let service: RedirectDelegateService;

  function setUp(row = contextRow(), consent: ConsentDescription = testConsent()): void {
    rows = new Map([[row.state, row]]);
    consumed = new Set();
    onAuthorised = jest.fn().mockResolvedValue(undefined);
    describeConsent = jest.fn().mockResolvedValue(consent);
    const registry = new ConsentAuthorisationRegistry();
    registry.register({
      consentType: 'account-access',
      describe: describeConsent,
      onAuthorised,
    });
    registry.register({
      consentType: 'domestic-payment',
      describe: describeConsent,
      onAuthorised,
    });
    // Mirrors the conditional UPDATE: the first consume of a state wins, later ones see nothing.
    repository = strictMock<AuthContextRepository>({
      consume: jest.fn(async (state: string) => {
        const found = rows.get(state);
        if (!found || consumed.has(state)) return undefined;
        consumed.add(state);
        return found;
      }),
    });
    discovery = strictMock<DiscoveryService>({
      getMetadata: jest.fn().mockResolvedValue(testMetadata()),
    });
    idTokens = strictMock<IdTokenValidator>({ validate: jest.fn().mockResolvedValue({}) });
    tokens = strictMock<TokenService>({
      exchangeAuthorisationCode: jest.fn().mockResolvedValue(TOKENS),
    });
    consentTokens = strictMock<ConsentTokenService>({
      store: jest.fn().mockResolvedValue(undefined),
    });
    cipher = strictMock<SecretCipher>({
      decrypt: jest.fn(async (stored: string) => stored.replace(/^enc\((.*)\)$/, '$1')),
    });
    service = new RedirectDelegateService(
      registry,
      repository,
      discovery,
      idTokens,
      tokens,
      consentTokens,
      cipher,
      new FixedClock(NOW),
    );
  }

  const hybrid: RedirectParameters = {
    state: 'state-1',
    code: 'code-1',
    id_token: 'front-id-token',
  };

  function expectNothingStored(): void {
    expect(consentTokens.store).not.toHaveBeenCalled();
    expect(onAuthorised).not.toHaveBeenCalled();
  }

  it('validates both ID tokens, exchanges the code, then stores the tokens and marks the consent authorised', async () => {
    setUp();
    await expect(service.complete(hybrid)).resolves.toEqual({
      consentType: 'account-access',
      consentId: 'consent-1',
    });
    const common = {
      profileId: 'test-bank',
      issuer: ISSUER,
      clientId: 'client-123',
      jwksUri: JWKS_URI,
      trustedCaPem: 'CA',
      nonce: 'nonce-1',
      intentId: 'aac-bank-0001',
      quirks: testConsent().profile.quirks.idToken,
    };
    expect(idTokens.validate).toHaveBeenNthCalledWith(1, 'front-id-token', {
      ...common,
      source: 'authorisation',
      code: 'code-1',
      state: 'state-1',
    });
    expect(tokens.exchangeAuthorisationCode).toHaveBeenCalledWith(testConsent().client, {
      code: 'code-1',
      redirectUri: 'https://app.example/cb',
      codeVerifier: undefined,
    });
    expect(idTokens.validate).toHaveBeenNthCalledWith(2, 'token-id-token', {
      ...common,
      source: 'token',
      accessToken: 'at-1',
    });
    expect(consentTokens.store).toHaveBeenCalledWith(
      { consentType: 'account-access', consentId: 'consent-1' },
      TOKENS,
    );
    expect(onAuthorised).toHaveBeenCalledWith('consent-1');
    // Order: checks, exchange, then store, then the feature.
    const order = [
      idTokens.validate.mock.invocationCallOrder[0],
      tokens.exchangeAuthorisationCode.mock.invocationCallOrder[0],
      idTokens.validate.mock.invocationCallOrder[1],
      consentTokens.store.mock.invocationCallOrder[0],
      onAuthorised.mock.invocationCallOrder[0],
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it.each([
    ['domestic-payment', false, 'rt-1'],
    ['domestic-payment', true, undefined],
    ['account-access', true, 'rt-1'],
  ])(
    '%s consent, noRefreshTokenForPayments %s: stored refresh token %s',
    async (consentType, noRefresh, stored) => {
      const consent = testConsent();
      consent.profile.quirks.tokenEndpoint.noRefreshTokenForPayments = noRefresh as boolean;
      setUp(contextRow({ consentType: consentType as ConsentType }), consent);
      await service.complete(hybrid);
      const [, storedTokens] = consentTokens.store.mock.calls[0];
      expect(storedTokens.refreshToken).toBe(stored);
      expect(storedTokens.accessToken).toBe('at-1');
    },
  );

  it.each([
    ['absent: the discovery issuer', undefined, undefined, ISSUER],
    ['a URL: that URL', 'https://id.bank.example', undefined, 'https://id.bank.example'],
    [
      "'request-object-audience': the profile's request-object audience",
      'request-object-audience',
      'https://secure1.bank.example',
      'https://secure1.bank.example',
    ],
  ])(
    'idToken.issuer %s is the issuer both ID tokens must carry',
    async (_label, issuer, audience, expected) => {
      const consent = testConsent({}, audience ? { requestObjectAudience: audience } : {});
      if (issuer !== undefined) consent.profile.quirks.idToken.issuer = issuer;
      setUp(contextRow(), consent);
      await service.complete(hybrid);
      expect(idTokens.validate).toHaveBeenCalledTimes(2);
      for (const [, expectations] of idTokens.validate.mock.calls)
        expect(expectations.issuer).toBe(expected);
    },
  );

  it('passes the profile intentIdPrefix to the ID-token checks', async () => {
    setUp(contextRow(), testConsent({}, { intentIdPrefix: 'pfx:' }));
    await service.complete(hybrid);
    for (const [, expectations] of idTokens.validate.mock.calls)
      expect(expectations).toMatchObject({ intentId: 'aac-bank-0001', intentIdPrefix: 'pfx:' });
  });

  it('a state is single use: the replay is auth/unknown-state and stores nothing more', async () => {
    setUp();
    await service.complete(hybrid);
    const replay = await service.complete(hybrid).catch((e: unknown) => e);
    expect(replay).toBeInstanceOf(DomainError);
    expect(replay).toMatchObject({ code: 'auth/unknown-state', kind: 'validation' });
    expect(consentTokens.store).toHaveBeenCalledTimes(1);
    expect(tokens.exchangeAuthorisationCode).toHaveBeenCalledTimes(1);
  });

  it('an unknown state is auth/unknown-state, looking exactly like a replay', async () => {
    setUp();
    const unknown = await service.complete({ ...hybrid, state: 'nope' }).catch((e: unknown) => e);
    await service.complete(hybrid);
    const replay = await service.complete(hybrid).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'auth/unknown-state' });
    expect((unknown as DomainError).detail).toBe((replay as DomainError).detail);
    expect(describeConsent).toHaveBeenCalledTimes(1);
  });

  it('an expired context is auth/state-expired, consumed anyway, and calls nobody', async () => {
    setUp(contextRow({ expiresAt: NOW }));
    await expect(service.complete(hybrid)).rejects.toMatchObject({ code: 'auth/state-expired' });
    expect(repository.consume).toHaveBeenCalledWith('state-1', NOW);
    expect(describeConsent).not.toHaveBeenCalled();
    expectNothingStored();
    await expect(service.complete(hybrid)).rejects.toMatchObject({ code: 'auth/unknown-state' });
  });

  it("a bank error is auth/bank-error with the bank's error and description; nothing authorised", async () => {
    setUp();
    const error = await service
      .complete({ state: 'state-1', error: 'access_denied', error_description: 'PSU cancelled' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'auth/bank-error',
      kind: 'validation',
      extensions: { bankError: 'access_denied', bankErrorDescription: 'PSU cancelled' },
    });
    expect((error as DomainError).detail).toContain('access_denied');
    expect(tokens.exchangeAuthorisationCode).not.toHaveBeenCalled();
    expectNothingStored();
  });

  it('an iss naming another issuer is auth/issuer-mismatch (RFC 9207); the right one passes', async () => {
    setUp();
    await expect(
      service.complete({ ...hybrid, iss: 'https://another-bank.example' }),
    ).rejects.toMatchObject({ code: 'auth/issuer-mismatch' });
    expect(tokens.exchangeAuthorisationCode).not.toHaveBeenCalled();
    expectNothingStored();
    setUp();
    await expect(
      service.complete({ ...hybrid, iss: testMetadata().issuer }),
    ).resolves.toMatchObject({ consentType: 'account-access' });
  });

  it('the hybrid flow requires the ID token and the code', async () => {
    setUp();
    await expect(service.complete({ state: 'state-1', code: 'c' })).rejects.toMatchObject({
      code: 'auth/missing-id-token',
    });
    setUp();
    await expect(
      service.complete({ state: 'state-1', id_token: 'front-id-token' }),
    ).rejects.toMatchObject({ code: 'auth/missing-code' });
    expect(tokens.exchangeAuthorisationCode).not.toHaveBeenCalled();
    expectNothingStored();
  });

  const ID_TOKEN_CODES = [
    'id-token/malformed',
    'id-token/unsupported-alg',
    'id-token/invalid-signature',
    'id-token/wrong-issuer',
    'id-token/wrong-audience',
    'id-token/expired',
    'id-token/issued-too-long-ago',
    'id-token/nonce-mismatch',
    'id-token/missing-nonce',
    'id-token/c-hash-mismatch',
    'id-token/missing-c-hash',
    'id-token/s-hash-mismatch',
    'id-token/missing-s-hash',
    'id-token/at-hash-mismatch',
    'id-token/intent-id-mismatch',
    'id-token/wrong-subject',
  ] as const;

  it.each(ID_TOKEN_CODES)(
    '%s from the authorisation ID token propagates; no exchange, nothing stored',
    async (code) => {
      setUp();
      const failure = new IdTokenError(code, 'check failed');
      idTokens.validate.mockRejectedValueOnce(failure);
      await expect(service.complete(hybrid)).rejects.toBe(failure);
      expect(tokens.exchangeAuthorisationCode).not.toHaveBeenCalled();
      expectNothingStored();
    },
  );

  it.each(ID_TOKEN_CODES)(
    '%s from the token response ID token propagates; nothing stored',
    async (code) => {
      setUp();
      const failure = new IdTokenError(code, 'check failed');
      idTokens.validate.mockResolvedValueOnce({} as never).mockRejectedValueOnce(failure);
      await expect(service.complete(hybrid)).rejects.toBe(failure);
      expect(tokens.exchangeAuthorisationCode).toHaveBeenCalledTimes(1);
      expectNothingStored();
    },
  );

  it('a refused code exchange propagates; nothing stored', async () => {
    setUp();
    const failure = new ConsentGrantError('the bank refused the code');
    tokens.exchangeAuthorisationCode.mockRejectedValue(failure);
    await expect(service.complete(hybrid)).rejects.toBe(failure);
    expectNothingStored();
  });

  it('passes the decrypted PKCE verifier on exchange (code flow: no front-channel ID token)', async () => {
    setUp(
      contextRow({ codeVerifier: 'enc(verifier-xyz)', responseMode: 'query' }),
      testConsent({}, { responseType: 'code', responseMode: 'query', pkce: true }),
    );
    tokens.exchangeAuthorisationCode.mockResolvedValue({
      accessToken: 'at-2',
      tokenType: 'Bearer',
    });
    await service.complete({ state: 'state-1', code: 'code-9' });
    expect(cipher.decrypt).toHaveBeenCalledWith('enc(verifier-xyz)', {
      table: 'auth_context',
      rowId: 'ctx-1',
      column: 'codeVerifier',
    });
    expect(tokens.exchangeAuthorisationCode).toHaveBeenCalledWith(expect.anything(), {
      code: 'code-9',
      redirectUri: 'https://app.example/cb',
      codeVerifier: 'verifier-xyz',
    });
    // No ID token anywhere: nothing to validate.
    expect(idTokens.validate).not.toHaveBeenCalled();
    expect(consentTokens.store).toHaveBeenCalledWith(
      { consentType: 'account-access', consentId: 'consent-1' },
      { accessToken: 'at-2', tokenType: 'Bearer' },
    );
    expect(onAuthorised).toHaveBeenCalledWith('consent-1');
  });

  const PLAIN_OAUTH2: Partial<AuthorisationQuirks> = {
    protocol: 'oauth2',
    responseType: 'code',
    responseMode: 'query',
    pkce: true,
    consentIdParameter: 'display',
  };

  it("protocol 'oauth2': no ID token required or checked; state, iss, PKCE and the exchange still are", async () => {
    setUp(
      contextRow({ codeVerifier: 'enc(verifier-1)', responseMode: 'query' }),
      testConsent({}, PLAIN_OAUTH2),
    );
    // A bank without OpenID Connect has no jwks_uri; nothing needs one.
    discovery.getMetadata.mockResolvedValue({ ...testMetadata(), jwks_uri: undefined });
    await expect(
      service.complete({ state: 'state-1', code: 'code-1', iss: ISSUER }),
    ).resolves.toEqual({ consentType: 'account-access', consentId: 'consent-1' });
    expect(idTokens.validate).not.toHaveBeenCalled();
    expect(tokens.exchangeAuthorisationCode).toHaveBeenCalledWith(expect.anything(), {
      code: 'code-1',
      redirectUri: 'https://app.example/cb',
      codeVerifier: 'verifier-1',
    });
    // An ID token sent anyway is neither checked nor kept.
    expect(consentTokens.store).toHaveBeenCalledWith(
      { consentType: 'account-access', consentId: 'consent-1' },
      { accessToken: 'at-1', refreshToken: 'rt-1', expiresIn: 300, tokenType: 'Bearer' },
    );
    // The state was single use.
    await expect(service.complete({ state: 'state-1', code: 'code-1' })).rejects.toMatchObject({
      code: 'auth/unknown-state',
    });
  });

  it('names the scope in the code exchange when the client says so (tokenEndpoint.scopeInConsentGrants)', async () => {
    const consent = testConsent({}, PLAIN_OAUTH2);
    consent.client = {
      ...consent.client,
      consentGrantScopes: { 'account-access': 'accounts offline', 'domestic-payment': 'payments' },
    };
    setUp(contextRow({ responseMode: 'query' }), consent);
    await service.complete({ state: 'state-1', code: 'code-1' });
    expect(tokens.exchangeAuthorisationCode).toHaveBeenCalledWith(expect.anything(), {
      code: 'code-1',
      redirectUri: 'https://app.example/cb',
      codeVerifier: undefined,
      scope: 'accounts offline',
    });
  });

  it("protocol 'oauth2': another issuer, a missing code or a bank error still fail; nothing stored", async () => {
    for (const params of [
      { state: 'state-1', code: 'code-1', iss: 'https://evil.example' },
      { state: 'state-1' },
      { state: 'state-1', error: 'access_denied' },
    ] as RedirectParameters[]) {
      setUp(contextRow({ responseMode: 'query' }), testConsent({}, PLAIN_OAUTH2));
      await expect(service.complete(params)).rejects.toBeInstanceOf(DomainError);
      expect(tokens.exchangeAuthorisationCode).not.toHaveBeenCalled();
      expectNothingStored();
    }
  });

  it('a failure to store the tokens leaves the consent unauthorised', async () => {
    setUp();
    consentTokens.store.mockRejectedValue(new Error('db down'));
    await expect(service.complete(hybrid)).rejects.toThrow('db down');
    expect(onAuthorised).not.toHaveBeenCalled();
  });
});
