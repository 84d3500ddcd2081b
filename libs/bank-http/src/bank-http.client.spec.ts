import { Logger } from '@nestjs/common';
import { BankCallError, CryptoRandomSource } from '@obc/common';
import { BankHttpClient } from './bank-http.client';
import { BankTransport } from './bank-http.types';
import { BankCallPolicy, defaultBankCallPolicy } from './policy/bank-call-policy';
import { BankCallObservation, BankHttpMetrics } from './bank-http.metrics';
import { LocalHttpsServer, startLocalHttpsServer } from './testing/local-https-server';
import { createTestPki, TestPki } from './testing/test-pki';

/** These tests are about one exchange; retries are covered in bank-http.policy.spec.ts. */
const NO_RETRIES: BankCallPolicy = {
  ...defaultBankCallPolicy(2_000),
  retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterSeconds: 0 },
  circuitBreaker: { failureThreshold: 1_000, openMs: 1 },
};

describe('BankHttpClient', () => {
  let pki: TestPki;
  let server: LocalHttpsServer;
  let client: BankHttpClient;
  let transportA: BankTransport;
  let transportB: BankTransport;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    pki = await createTestPki();
    server = await startLocalHttpsServer(pki);
    const a = await pki.issueClient('client-a');
    const b = await pki.issueClient('client-b');
    transportA = { id: 'transport-a', ...a };
    transportB = { id: 'transport-b', ...b };
  });

  afterAll(async () => {
    await server.close();
  });

  beforeEach(() => {
    client = new BankHttpClient(new CryptoRandomSource(), { timeoutMs: 2_000, policy: NO_RETRIES });
    server.requests.length = 0;
    server.setHandler((req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-fapi-interaction-id': String(req.headers['x-fapi-interaction-id']),
      });
      res.end(JSON.stringify({ ok: true, path: req.url }));
    });
  });

  afterEach(() => client.onModuleDestroy());

  const call = (over: Partial<Parameters<BankHttpClient['request']>[0]> = {}) =>
    client.request({
      profileId: 'test-bank',
      endpoint: 'test.call',
      method: 'GET',
      url: `${server.url}/open-banking/v4.0/aisp/accounts?x=1`,
      transport: transportA,
      trustedCaPem: pki.caPem,
      ...over,
    });

  async function failure(p: Promise<unknown>): Promise<BankCallError> {
    try {
      await p;
    } catch (e: unknown) {
      if (e instanceof BankCallError) return e;
      throw e;
    }
    throw new Error('expected the call to fail');
  }

  it('presents the transport certificate over mTLS and parses JSON', async () => {
    const res = await call();
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ ok: true, path: '/open-banking/v4.0/aisp/accounts?x=1' });
    expect(server.requests[0].clientCn).toBe('client-a');
    expect(server.requests[0].authorized).toBe(true);
  });

  it('sends the interaction id (generated when absent) and the financial id', async () => {
    const generated = await call({ financialId: '0015800001041RHAAY' });
    const seen = server.requests[0].headers;
    expect(seen['x-fapi-interaction-id']).toBe(generated.interactionId);
    expect(generated.interactionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.headers['x-fapi-interaction-id']).toBe(generated.interactionId);
    expect(seen['x-fapi-financial-id']).toBe('0015800001041RHAAY');

    const given = await call({
      interactionId: 'my-interaction-1',
      headers: { Authorization: 'Bearer abc' },
    });
    expect(given.interactionId).toBe('my-interaction-1');
    expect(server.requests[1].headers['x-fapi-interaction-id']).toBe('my-interaction-1');
    expect(server.requests[1].headers['authorization']).toBe('Bearer abc');
    expect(server.requests[1].headers['x-fapi-financial-id']).toBeUndefined();
  });

  it('serialises an object body once and returns the exact bytes sent', async () => {
    server.setHandler((req, res) =>
      res.writeHead(201, { 'content-type': 'application/json' }).end(req.body),
    );
    const res = await call({ method: 'POST', body: { b: 2, a: [1, 'x'] } });
    expect(res.sentBody).toBe('{"b":2,"a":[1,"x"]}');
    expect(server.requests[0].body).toBe(res.sentBody);
    expect(server.requests[0].headers['content-type']).toBe('application/json');
    expect(res.rawBody).toBe(res.sentBody);

    const jwt = 'eyJhbGciOiJQUzI1NiJ9.e30.c2ln';
    server.setHandler((_req, res) =>
      res.writeHead(201, { 'content-type': 'application/jwt' }).end('ok'),
    );
    const text = await call({
      method: 'POST',
      body: jwt,
      headers: { 'content-type': 'application/jwt' },
    });
    expect(server.requests[1].body).toBe(jwt);
    expect(server.requests[1].headers['content-type']).toBe('application/jwt');
    expect(text.sentBody).toBe(jwt);
  });

  it('leaves non-JSON responses (a JWT) as text', async () => {
    server.setHandler((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/jwt' }).end('a.b.c'),
    );
    const res = await call();
    expect(res.data).toBe('a.b.c');
  });

  it('reuses one agent per transport identity and trust bundle, another for another', async () => {
    await call();
    await call();
    const a1 = client.agents.agentFor(transportA, ['', pki.caPem]);
    expect(client.agents.size).toBe(1);
    await call({ transport: transportB });
    expect(client.agents.size).toBe(2);
    expect(client.agents.agentFor(transportB, ['', pki.caPem])).not.toBe(a1);
    expect(client.agents.agentFor(transportA, ['', pki.caPem])).toBe(a1);
    expect(server.requests.map((r) => r.clientCn)).toEqual(['client-a', 'client-a', 'client-b']);
    // keep-alive: the two calls with identity A share one socket
    expect(server.requests[0].remotePort).toBe(server.requests[1].remotePort);
  });

  it('logs identifiers only, never headers or bodies', async () => {
    const lines: string[] = [];
    const spy = jest
      .spyOn(Logger.prototype, 'debug')
      .mockImplementation((m: unknown) => void lines.push(String(m)));
    try {
      await call({
        method: 'POST',
        headers: { authorization: 'Bearer sekret-token' },
        body: { name: 'Jane Doe' },
      });
    } finally {
      spy.mockRestore();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('profile=test-bank');
    expect(lines[0]).toContain('status=200');
    expect(lines[0]).not.toMatch(/sekret|Jane|x=1/);
  });

  it('builds no line for a successful call when successful calls are not logged; a failure is', async () => {
    const quiet = new BankHttpClient(new CryptoRandomSource(), {
      timeoutMs: 2_000,
      policy: NO_RETRIES,
      logSuccessfulCalls: false,
    });
    const debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const target = {
        profileId: 'p',
        endpoint: 'e',
        method: 'GET' as const,
        trustedCaPem: pki.caPem,
      };
      await quiet.request({ ...target, url: `${server.url}/ok` });
      expect(debug).not.toHaveBeenCalled();
      server.setHandler((_req, res) => res.writeHead(500).end());
      await failure(quiet.request({ ...target, url: `${server.url}/down` }));
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('status=500'));
    } finally {
      debug.mockRestore();
      warn.mockRestore();
      quiet.onModuleDestroy();
    }
  });

  it('fails when a bank that requires a client certificate gets none', async () => {
    const strict = await startLocalHttpsServer(pki, true);
    try {
      const e = await failure(call({ url: strict.url, transport: undefined }));
      expect(['bank/tls-failure', 'bank/unreachable']).toContain(e.code);
      const ok = await call({ url: strict.url });
      expect(ok.status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('reports each call to the metrics, with a status class and error code', async () => {
    const observed: BankCallObservation[] = [];
    const metrics = new (class extends BankHttpMetrics {
      observeCall(o: BankCallObservation): void {
        observed.push(o);
      }
    })();
    const measured = new BankHttpClient(
      new CryptoRandomSource(),
      { timeoutMs: 2_000, policy: NO_RETRIES },
      undefined,
      metrics,
    );
    try {
      const base = {
        profileId: 'p1',
        endpoint: 'accounts.list',
        method: 'GET' as const,
        url: server.url,
        trustedCaPem: pki.caPem,
      };
      await measured.request(base);
      server.setHandler((_req, res) => res.writeHead(503).end());
      await failure(measured.request(base));
    } finally {
      measured.onModuleDestroy();
    }
    expect(observed).toMatchObject([
      {
        profileId: 'p1',
        endpoint: 'accounts.list',
        method: 'GET',
        status: 200,
        statusClass: '2xx',
        errorCode: undefined,
      },
      { status: 503, statusClass: '5xx', errorCode: 'bank/server-error' },
    ]);
  });

  it('does not follow redirects', async () => {
    server.setHandler((_req, res) =>
      res.writeHead(302, { location: `${server.url}/elsewhere` }).end(),
    );
    const e = await failure(call());
    expect(e.code).toBe('bank/unexpected-status');
    expect(server.requests).toHaveLength(1);
  });

  it('accepts a listed non-2xx status', async () => {
    server.setHandler((_req, res) =>
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"Code":"x"}'),
    );
    const res = await call({ expectStatus: [200, 404] });
    expect(res.status).toBe(404);
    expect(res.data).toEqual({ Code: 'x' });
  });

  it.each([
    [400, 'bank/request-rejected', 'unprocessable'],
    [403, 'bank/request-rejected', 'unprocessable'],
    [429, 'bank/rate-limited', 'too-many-requests'],
    [500, 'bank/server-error', 'bank-failure'],
    [503, 'bank/server-error', 'bank-failure'],
  ])('maps a bank %i to %s', async (status, code, kind) => {
    const body = { Code: `UK.OBIE.${status}`, Errors: [{ ErrorCode: 'UK.OBIE.Field.Invalid' }] };
    server.setHandler((_req, res) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
    );
    const e = await failure(call({ interactionId: 'iid-1', method: 'POST', body: {} }));
    expect(e.code).toBe(code);
    expect(e.kind).toBe(kind);
    expect(e.bank).toEqual({
      status,
      endpoint: '/open-banking/v4.0/aisp/accounts',
      method: 'POST',
      interactionId: 'iid-1',
      body,
    });
  });

  it('truncates a huge error body to 16 KiB of text', async () => {
    const big = 'x'.repeat(40_000);
    server.setHandler((_req, res) => res.writeHead(400, { 'content-type': 'text/plain' }).end(big));
    const e = await failure(call());
    expect(typeof e.bank?.body).toBe('string');
    expect((e.bank?.body as string).length).toBeLessThan(16 * 1024 + 20);
  });

  it('answers null for a JSON content type with a blank body (nothing to parse)', async () => {
    server.setHandler((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(' \n\t '),
    );
    const res = await call();
    expect(res.data).toBeNull();
    expect(res.rawBody).toBe(' \n\t ');
  });

  it('maps a JSON content type with a broken body to bank/invalid-response', async () => {
    server.setHandler((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{not json'),
    );
    const e = await failure(call());
    expect(e.code).toBe('bank/invalid-response');
    expect(e.kind).toBe('bank-failure');
    expect(e.bank?.body).toBe('{not json');
  });

  it('asks for no compression and names itself, whatever the HTTP library', async () => {
    await call({ method: 'POST', body: { a: 1 } });
    const seen = server.requests[0].headers;
    expect(seen['accept-encoding']).toBeUndefined();
    expect(seen['user-agent']).toBe('uk-open-banking-connector');
    expect(seen['content-length']).toBe(String(Buffer.byteLength('{"a":1}')));
  });

  it("sends exactly the headers of the call, none of the HTTP library's defaults", async () => {
    await call({ headers: { Authorization: 'Bearer abc' }, financialId: 'fid' });
    await call({ method: 'POST', body: 'a=1', headers: { 'Content-Type': 'text/plain' } });
    const names = (i: number) =>
      Object.keys(server.requests[i].headers)
        .filter((n) => !['host', 'connection'].includes(n))
        .sort();
    expect(names(0)).toEqual([
      'accept',
      'authorization',
      'user-agent',
      'x-fapi-financial-id',
      'x-fapi-interaction-id',
    ]);
    expect(server.requests[0].headers['accept']).toBe('application/json');
    expect(names(1)).toEqual([
      'accept',
      'content-length',
      'content-type',
      'user-agent',
      'x-fapi-interaction-id',
    ]);
    expect(server.requests[1].headers['content-type']).toBe('text/plain');
  });

  it('stops reading a body larger than maxResponseBytes: bank/invalid-response, nothing kept', async () => {
    const small = new BankHttpClient(new CryptoRandomSource(), {
      timeoutMs: 2_000,
      policy: NO_RETRIES,
      maxResponseBytes: 1_000,
    });
    try {
      const body = (n: number) => JSON.stringify({ pad: 'x'.repeat(n - 10) });
      server.setHandler((req, res) =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(req.url?.endsWith('big') ? body(50_000) : body(1_000)),
      );
      const ok = await small.request({
        profileId: 'p',
        endpoint: 'e',
        method: 'GET',
        url: `${server.url}/fits`,
        trustedCaPem: pki.caPem,
      });
      expect(ok.rawBody).toHaveLength(1_000);
      const e = await failure(
        small.request({
          profileId: 'p',
          endpoint: 'e',
          method: 'GET',
          url: `${server.url}/big`,
          trustedCaPem: pki.caPem,
        }),
      );
      expect(e.code).toBe('bank/invalid-response');
      expect(e.bank).toMatchObject({ status: 200, body: null });
      expect(e.detail).toMatch(/larger than the 1000 bytes/);
    } finally {
      small.onModuleDestroy();
    }
  });

  describe.each(['GET', 'POST'] as const)(
    '%s (GETs go straight to the adapter, other calls through axios): the same failures',
    (method) => {
      const send = (over: Partial<Parameters<BankHttpClient['request']>[0]> = {}) =>
        call({ method, ...(method === 'POST' ? { body: { a: 1 } } : {}), ...over });

      it('a slow bank: bank/timeout', async () => {
        server.setHandler((_req, res) => {
          setTimeout(() => res.writeHead(200).end('late'), 1_000);
        });
        const e = await failure(send({ timeoutMs: 150 }));
        expect([e.code, e.kind, e.bank?.status]).toEqual(['bank/timeout', 'bank-timeout', null]);
      });

      it('a body cut off: bank/incomplete-response with the status', async () => {
        server.setHandler((_req, res) => {
          res.writeHead(201, { 'content-type': 'application/json', 'content-length': '100' });
          res.write('{"Data":');
          setTimeout(() => res.socket?.destroy(), 20);
        });
        const e = await failure(send());
        expect([e.code, e.bank?.status]).toEqual(['bank/incomplete-response', 201]);
      });

      it('a reset: bank/connection-reset; a 503 with Retry-After: bank/server-error', async () => {
        server.setHandler((_req, res) => res.socket?.destroy());
        expect((await failure(send())).code).toBe('bank/connection-reset');
        server.setHandler((_req, res) =>
          res.writeHead(503, { 'retry-after': '7', 'content-type': 'application/json' }).end('{}'),
        );
        const e = await failure(send());
        expect([e.code, e.bank?.status]).toEqual(['bank/server-error', 503]);
      });

      it('an answer: the status, the lower-case headers and the parsed body', async () => {
        server.setHandler((_req, res) =>
          res
            .writeHead(200, { 'Content-Type': 'application/json', 'X-Extra': 'a' })
            .end('{"ok":1}'),
        );
        const ok = await send();
        expect(ok.status).toBe(200);
        expect(ok.headers['x-extra']).toBe('a');
        expect(ok.headers['content-type']).toBe('application/json');
        expect(ok.data).toEqual({ ok: 1 });
      });
    },
  );

  it('maps a connection closed before any answer to bank/connection-reset', async () => {
    server.setHandler((_req, res) => res.socket?.destroy());
    const e = await failure(call());
    expect(e.code).toBe('bank/connection-reset');
    expect(e.bank?.status).toBeNull();
  });

  it('uses the configured default timeout', async () => {
    const quick = new BankHttpClient(new CryptoRandomSource(), { timeoutMs: 100 });
    server.setHandler((_req, res) => {
      setTimeout(() => res.writeHead(200).end('late'), 1_000);
    });
    try {
      const e = await failure(
        quick.request({
          profileId: 'p',
          endpoint: 'e',
          method: 'GET',
          url: server.url,
          trustedCaPem: pki.caPem,
        }),
      );
      expect(e.code).toBe('bank/timeout');
    } finally {
      quick.onModuleDestroy();
    }
  });

  it('maps nothing listening to bank/unreachable', async () => {
    const e = await failure(call({ url: 'https://127.0.0.1:1/x' }));
    expect(e.code).toBe('bank/unreachable');
    expect(e.bank?.status).toBeNull();
  });

  it('maps an untrusted server certificate to bank/tls-failure', async () => {
    const e = await failure(call({ trustedCaPem: undefined }));
    expect(e.code).toBe('bank/tls-failure');
    expect(e.kind).toBe('bank-failure');
  });

  it('trusts a CA from the settings bundle', async () => {
    const withBundle = new BankHttpClient(new CryptoRandomSource(), {
      timeoutMs: 2_000,
      caBundlePem: pki.caPem,
    });
    try {
      const res = await withBundle.request({
        profileId: 'p',
        endpoint: 'e',
        method: 'GET',
        url: server.url,
        transport: transportA,
      });
      expect(res.status).toBe(200);
    } finally {
      withBundle.onModuleDestroy();
    }
  });
});
