import { generateKeyPairSync } from 'node:crypto';
import { ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import { jwtVerify } from 'jose';
import { BankHttpClient } from '@obc/bank-http';
import { CryptoRandomSource, DomainError } from '@obc/common';
import { CLIENT_ASSERTION_TYPE, KeyStore } from '@obc/fapi';
import {
  LocalHttpsServer,
  RecordedRequest,
  startLocalHttpsServer,
} from '../../bank-http/src/testing/local-https-server';
import { createTestPki, TestPki } from '../../bank-http/src/testing/test-pki';
import { ClientAuthenticator } from './client-authentication';
import { ClientContext } from './client-context';
import { ConsentGrantError } from './consent-grant.error';
import { TokenCacheKind, TokenMetrics } from './token-metrics';
import { TokenService } from './token.service';
import { ManualClock } from './testing/manual-clock';

class CountingMetrics extends TokenMetrics {
  hits = 0;
  misses = 0;
  cacheHit(_kind: TokenCacheKind): void {
    this.hits++;
  }
  cacheMiss(_kind: TokenCacheKind): void {
    this.misses++;
  }
}

const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingPem = signing.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function tokenAnswer(
  res: ServerResponse,
  body: Record<string, unknown>,
  status = 200,
  delayMs = 0,
): void {
  setTimeout(
    () => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
    delayMs,
  );
}

describe('TokenService (client credentials over mTLS)', () => {
  let pki: TestPki;
  let server: LocalHttpsServer;
  let transport: ClientContext['transport'];
  let http: BankHttpClient;
  let clock: ManualClock;
  let metrics: CountingMetrics;
  let service: TokenService;
  let issued: number;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    pki = await createTestPki();
    server = await startLocalHttpsServer(pki, true); // the bank requires a client certificate
    transport = { id: 'transport-1', ...(await pki.issueClient('tpp-client')) };
  });

  afterAll(async () => {
    await server.close();
  });

  beforeEach(() => {
    server.requests.length = 0;
    issued = 0;
    server.setHandler((_req, res) =>
      tokenAnswer(res, {
        access_token: `token-${++issued}`,
        token_type: 'Bearer',
        expires_in: 300,
      }),
    );
    clock = new ManualClock();
    metrics = new CountingMetrics();
    http = new BankHttpClient(new CryptoRandomSource(), { timeoutMs: 5_000 });
    const authenticator = new ClientAuthenticator(new KeyStore(), clock, new CryptoRandomSource());
    service = new TokenService(
      http,
      authenticator,
      clock,
      { earlyExpirySeconds: 30, discoveryCacheSeconds: 3600 },
      metrics,
    );
  });

  afterEach(() => http.onModuleDestroy());

  const client = (over: Partial<ClientContext> = {}): ClientContext => ({
    registrationId: 'reg-1',
    profileId: 'test-bank',
    clientId: 'client-1',
    authMethod: 'tls_client_auth',
    tokenEndpoint: `${server.url}/token`,
    issuer: server.url,
    transport,
    trustedCaPem: pki.caPem,
    signingKey: { kid: 'sig-kid', privateKeyPem: signingPem },
    financialId: 'fin-1',
    ...over,
  });

  const form = (req: RecordedRequest) => Object.fromEntries(new URLSearchParams(req.body));

  it('tls_client_auth: client_id in the form, client certificate on the connection', async () => {
    await expect(service.getClientCredentialsToken(client(), 'accounts')).resolves.toBe('token-1');
    const [req] = server.requests;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/token');
    expect(req.clientCn).toBe('tpp-client');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers['x-fapi-financial-id']).toBe('fin-1');
    expect(req.headers.authorization).toBeUndefined();
    expect(form(req)).toEqual({
      grant_type: 'client_credentials',
      scope: 'accounts',
      client_id: 'client-1',
    });
  });

  it('private_key_jwt: a PS256 assertion for the token endpoint, verifiable with the public key', async () => {
    await service.getClientCredentialsToken(client({ authMethod: 'private_key_jwt' }), 'payments');
    const body = form(server.requests[0]);
    expect(body.grant_type).toBe('client_credentials');
    expect(body.scope).toBe('payments');
    expect(body.client_assertion_type).toBe(CLIENT_ASSERTION_TYPE);
    expect(body.client_secret).toBeUndefined();
    const { payload, protectedHeader } = await jwtVerify(body.client_assertion, signing.publicKey, {
      algorithms: ['PS256'],
      audience: `${server.url}/token`,
      issuer: 'client-1',
      subject: 'client-1',
      currentDate: clock.now(),
    });
    expect(protectedHeader.kid).toBe('sig-kid');
    expect(payload.exp).toBe(clock.nowSeconds() + 300);
    expect(typeof payload.jti).toBe('string');
  });

  it('private_key_jwt: uses the audience override when the bank wants one', async () => {
    await service.getClientCredentialsToken(
      client({ authMethod: 'private_key_jwt', audience: 'https://issuer.example' }),
      'accounts',
    );
    const { payload } = await jwtVerify(
      form(server.requests[0]).client_assertion,
      signing.publicKey,
      { currentDate: clock.now() },
    );
    expect(payload.aud).toBe('https://issuer.example');
  });

  it('client_secret_basic: form-encoded id and secret in a Basic header, nothing in the body', async () => {
    await service.getClientCredentialsToken(
      client({
        authMethod: 'client_secret_basic',
        clientId: 'client 1:x',
        clientSecret: 's3cr&t/é',
      }),
      'accounts',
    );
    const req = server.requests[0];
    const decoded = Buffer.from(
      String(req.headers.authorization).replace(/^Basic /, ''),
      'base64',
    ).toString();
    expect(decoded).toBe('client+1%3Ax:s3cr%26t%2F%C3%A9');
    expect(form(req)).toEqual({ grant_type: 'client_credentials', scope: 'accounts' });
  });

  it('client_secret_post: id and secret in the body', async () => {
    await service.getClientCredentialsToken(
      client({ authMethod: 'client_secret_post', clientSecret: 'shh' }),
      'accounts',
    );
    expect(form(server.requests[0])).toEqual({
      grant_type: 'client_credentials',
      scope: 'accounts',
      client_id: 'client-1',
      client_secret: 'shh',
    });
  });

  it('refuses a secret method without a secret, before calling the bank', async () => {
    await expect(
      service.getClientCredentialsToken(client({ authMethod: 'client_secret_post' }), 'accounts'),
    ).rejects.toMatchObject({
      code: 'token/client-secret-missing',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('caches per registration and scope until expires_in minus the early expiry', async () => {
    expect(await service.getClientCredentialsToken(client(), 'accounts')).toBe('token-1');
    expect(await service.getClientCredentialsToken(client(), 'accounts')).toBe('token-1');
    expect(await service.getClientCredentialsToken(client(), 'payments')).toBe('token-2');
    expect(
      await service.getClientCredentialsToken(client({ registrationId: 'reg-2' }), 'accounts'),
    ).toBe('token-3');
    expect(server.requests).toHaveLength(3);
    expect(metrics.hits).toBe(1);
    expect(metrics.misses).toBe(3);

    clock.advanceSeconds(300 - 30 - 1);
    expect(await service.getClientCredentialsToken(client(), 'accounts')).toBe('token-1');
    clock.advanceSeconds(1);
    expect(await service.getClientCredentialsToken(client(), 'accounts')).toBe('token-4');
    expect(server.requests).toHaveLength(4);
  });

  it('invalidate(registrationId) drops that registration only', async () => {
    await service.getClientCredentialsToken(client(), 'accounts');
    await service.getClientCredentialsToken(client({ registrationId: 'reg-2' }), 'accounts');
    service.invalidate('reg-1');
    expect(await service.getClientCredentialsToken(client(), 'accounts')).toBe('token-3');
    expect(
      await service.getClientCredentialsToken(client({ registrationId: 'reg-2' }), 'accounts'),
    ).toBe('token-2');
  });

  it('single flight: ten concurrent callers cause one token request', async () => {
    server.setHandler((_req, res) =>
      tokenAnswer(
        res,
        { access_token: `token-${++issued}`, token_type: 'Bearer', expires_in: 300 },
        200,
        100,
      ),
    );
    const tokens = await Promise.all(
      Array.from({ length: 10 }, () => service.getClientCredentialsToken(client(), 'accounts')),
    );
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(server.requests).toHaveLength(1);
  });

  it('an invalidation while a request is in flight keeps its answer out of the cache', async () => {
    server.setHandler((_req, res) =>
      tokenAnswer(
        res,
        { access_token: `token-${++issued}`, token_type: 'Bearer', expires_in: 300 },
        200,
        100,
      ),
    );
    const first = service.getClientCredentialsToken(client(), 'accounts');
    await new Promise((r) => setTimeout(r, 20));
    service.invalidate('reg-1');
    expect(await first).toBe('token-1');
    expect(await service.getClientCredentialsToken(client(), 'accounts')).toBe('token-2');
  });

  it('a failure reaches every waiter and is not cached', async () => {
    server.setHandler((_req, res) => tokenAnswer(res, { error: 'invalid_client' }, 401, 50));
    const results = await Promise.allSettled(
      Array.from({ length: 3 }, () => service.getClientCredentialsToken(client(), 'accounts')),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const reason = (results[0] as PromiseRejectedResult).reason as DomainError;
    expect(reason.code).toBe('bank/request-rejected');
    expect(reason.bank?.body).toEqual({ error: 'invalid_client' });
    expect(server.requests).toHaveLength(1);

    server.setHandler((_req, res) =>
      tokenAnswer(res, { access_token: 'fresh', token_type: 'bearer', expires_in: 300 }),
    );
    expect(await service.getClientCredentialsToken(client(), 'accounts')).toBe('fresh');
    expect(server.requests).toHaveLength(2);
  });

  it.each([
    ['no access_token', { token_type: 'Bearer', expires_in: 300 }],
    ['an empty access_token', { access_token: '', token_type: 'Bearer' }],
    ['a non-bearer token_type', { access_token: 'abc', token_type: 'mac' }],
    ['no token_type', { access_token: 'abc' }],
  ])('rejects a token response with %s as token/invalid-response', async (_what, body) => {
    server.setHandler((_req, res) => tokenAnswer(res, body));
    const error = await service
      .getClientCredentialsToken(client(), 'accounts')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('token/invalid-response');
    expect((error as DomainError).kind).toBe('bank-failure');
    expect((error as DomainError).detail).not.toContain('abc');
  });

  it('accepts token_type in any case and expires_in as a numeric string', async () => {
    server.setHandler((_req, res) =>
      tokenAnswer(res, { access_token: `t${++issued}`, token_type: 'BEARER', expires_in: '60' }),
    );
    expect(await service.getClientCredentialsToken(client(), 'accounts')).toBe('t1');
    clock.advanceSeconds(29);
    expect(await service.getClientCredentialsToken(client(), 'accounts')).toBe('t1');
    clock.advanceSeconds(1);
    expect(await service.getClientCredentialsToken(client(), 'accounts')).toBe('t2');
  });

  it('does not cache a token without expires_in', async () => {
    server.setHandler((_req, res) =>
      tokenAnswer(res, { access_token: `t${++issued}`, token_type: 'Bearer' }),
    );
    expect(await service.getClientCredentialsToken(client(), 'accounts')).toBe('t1');
    expect(await service.getClientCredentialsToken(client(), 'accounts')).toBe('t2');
  });

  it('never logs the token', async () => {
    const lines: string[] = [];
    const capture = (m: unknown): void => {
      lines.push(String(m));
    };
    const spies = [
      jest.spyOn(Logger.prototype, 'log').mockImplementation(capture),
      jest.spyOn(Logger.prototype, 'debug').mockImplementation(capture),
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(capture),
      jest.spyOn(Logger.prototype, 'error').mockImplementation(capture),
    ];
    try {
      server.setHandler((_req, res) =>
        tokenAnswer(res, { access_token: 'very-secret-token', token_type: 'Bearer' }),
      );
      await service.getClientCredentialsToken(
        client({ authMethod: 'client_secret_post', clientSecret: 'shh-secret' }),
        'accounts',
      );
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toMatch(/very-secret-token|shh-secret/);
  });

  describe('consent grants', () => {
    it('authorization_code: code, redirect URI and PKCE verifier with the client authentication', async () => {
      server.setHandler((_req, res) =>
        tokenAnswer(res, {
          access_token: 'at-1',
          refresh_token: 'rt-1',
          id_token: 'idt',
          token_type: 'bearer',
          expires_in: 300,
          scope: 'openid accounts',
        }),
      );
      const set = await service.exchangeAuthorisationCode(
        client({ authMethod: 'client_secret_post', clientSecret: 'shh' }),
        { code: 'the-code', redirectUri: 'https://tpp.example/cb', codeVerifier: 'verifier' },
      );
      expect(set).toEqual({
        accessToken: 'at-1',
        refreshToken: 'rt-1',
        idToken: 'idt',
        expiresIn: 300,
        scope: 'openid accounts',
        tokenType: 'Bearer',
      });
      const req = server.requests[0];
      expect(req.clientCn).toBe('tpp-client');
      expect(form(req)).toEqual({
        grant_type: 'authorization_code',
        code: 'the-code',
        redirect_uri: 'https://tpp.example/cb',
        code_verifier: 'verifier',
        client_id: 'client-1',
        client_secret: 'shh',
      });
    });

    it('authorization_code without PKCE; expires_in and scope may be missing', async () => {
      server.setHandler((_req, res) =>
        tokenAnswer(res, { access_token: 'at-1', token_type: 'BEARER' }),
      );
      const set = await service.exchangeAuthorisationCode(
        client({ authMethod: 'private_key_jwt' }),
        {
          code: 'c',
          redirectUri: 'https://tpp.example/cb',
        },
      );
      expect(set).toEqual({ accessToken: 'at-1', tokenType: 'Bearer' });
      const body = form(server.requests[0]);
      expect(body.code_verifier).toBeUndefined();
      expect(body.client_assertion_type).toBe(CLIENT_ASSERTION_TYPE);
    });

    it('refresh_token grant answered without an ID token and with a wider scope: used as given', async () => {
      // Documented deviations (Barclays, Lloyds, HSBC, NatWest, Monzo, Wise...): a refresh
      // answer with no id_token, token_type in another case and extra scope values.
      server.setHandler((_req, res) =>
        tokenAnswer(res, {
          access_token: 'at-r',
          token_type: 'BEARER',
          scope: 'openid accounts payments extra:value',
        }),
      );
      const set = await service.refreshGrant(client(), 'rt-0');
      expect(set).toMatchObject({
        accessToken: 'at-r',
        scope: 'openid accounts payments extra:value',
      });
      expect(set.idToken).toBeUndefined();
    });

    it('refresh_token grant with the stored refresh token; never cached', async () => {
      server.setHandler((_req, res) =>
        tokenAnswer(res, {
          access_token: `at-${++issued}`,
          refresh_token: `rt-${issued}`,
          token_type: 'Bearer',
          expires_in: 300,
        }),
      );
      expect(await service.refreshGrant(client(), 'rt-0')).toMatchObject({
        accessToken: 'at-1',
        refreshToken: 'rt-1',
      });
      expect(await service.refreshGrant(client(), 'rt-1')).toMatchObject({ accessToken: 'at-2' });
      expect(server.requests.map((r) => form(r))).toEqual([
        { grant_type: 'refresh_token', refresh_token: 'rt-0', client_id: 'client-1' },
        { grant_type: 'refresh_token', refresh_token: 'rt-1', client_id: 'client-1' },
      ]);
    });

    it('sends scope in code and refresh grants when given (quirks.tokenEndpoint.scopeInConsentGrants)', async () => {
      server.setHandler((_req, res) =>
        tokenAnswer(res, { access_token: 'at', refresh_token: 'rt', token_type: 'bearer' }),
      );
      const coop = client({ authMethod: 'client_secret_post', clientSecret: 'shh' });
      await service.exchangeAuthorisationCode(coop, {
        code: 'c',
        redirectUri: 'https://tpp.example/cb',
        codeVerifier: 'v',
        scope: 'accounts offline',
      });
      await service.refreshGrant(coop, 'rt-0', 'accounts offline');
      await service.refreshGrant(coop, 'rt-1');
      const [code, refresh, plainRefresh] = server.requests.map((r) => form(r));
      expect(code.scope).toBe('accounts offline');
      expect(refresh).toMatchObject({ grant_type: 'refresh_token', scope: 'accounts offline' });
      expect(plainRefresh).not.toHaveProperty('scope');
    });

    it('invalid_grant becomes consent/not-authorised (forbidden); other errors pass through', async () => {
      server.setHandler((_req, res) =>
        tokenAnswer(res, { error: 'invalid_grant', error_description: 'revoked' }, 400),
      );
      for (const call of [
        () => service.refreshGrant(client(), 'rt'),
        () => service.exchangeAuthorisationCode(client(), { code: 'c', redirectUri: 'https://x' }),
      ]) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConsentGrantError);
        expect(error).toMatchObject({ code: 'consent/not-authorised', kind: 'forbidden' });
      }
      server.setHandler((_req, res) => tokenAnswer(res, { error: 'invalid_client' }, 401));
      await expect(service.refreshGrant(client(), 'rt')).rejects.toMatchObject({
        code: 'bank/request-rejected',
      });
    });

    it('never logs the tokens of a consent grant', async () => {
      const lines: string[] = [];
      const capture = (m: unknown): void => {
        lines.push(String(m));
      };
      const spies = [
        jest.spyOn(Logger.prototype, 'log').mockImplementation(capture),
        jest.spyOn(Logger.prototype, 'debug').mockImplementation(capture),
        jest.spyOn(Logger.prototype, 'warn').mockImplementation(capture),
        jest.spyOn(Logger.prototype, 'error').mockImplementation(capture),
      ];
      try {
        server.setHandler((_req, res) =>
          tokenAnswer(res, {
            access_token: 'secret-access',
            refresh_token: 'secret-refresh-new',
            token_type: 'Bearer',
          }),
        );
        await service.refreshGrant(client(), 'secret-refresh-old');
        await service.exchangeAuthorisationCode(client(), {
          code: 'secret-code',
          redirectUri: 'https://x',
        });
      } finally {
        spies.forEach((s) => s.mockRestore());
      }
      expect(lines.join('\n')).not.toMatch(/secret-/);
    });
  });
});
