import { Logger } from '@nestjs/common';
import { BankCallError, Clock, RandomSource } from '@obc/common';
import { BankHttpClient } from './bank-http.client';
import { BankHttpMetrics, BankRetryObservation } from './bank-http.metrics';
import { BankRequest } from './bank-http.types';
import {
  BankCallPolicy,
  BankCallPolicyOverrides,
  BankCallPolicySource,
} from './policy/bank-call-policy';
import { CircuitState } from './policy/circuit-breaker';
import { Sleeper } from './policy/sleeper';
import { LocalHttpsServer, startLocalHttpsServer } from './testing/local-https-server';
import { createTestPki, TestPki } from './testing/test-pki';

class FakeClock extends Clock {
  ms = Date.UTC(2026, 11, 6, 10, 0, 0);
  now(): Date {
    return new Date(this.ms);
  }
}

/** Never sleeps: records each wait and moves the fake clock by it. */
class FakeSleeper extends Sleeper {
  readonly waits: number[] = [];
  constructor(private readonly clock: FakeClock) {
    super();
  }
  sleep(ms: number): Promise<void> {
    this.waits.push(ms);
    this.clock.ms += ms;
    return Promise.resolve();
  }
}

/** Jitter fixed at half the ceiling, so waits are predictable. */
class HalfRandom extends RandomSource {
  private n = 0;
  uuid(): string {
    return `00000000-0000-4000-8000-${String(++this.n).padStart(12, '0')}`;
  }
  token(): string {
    return 'token';
  }
  override fraction(): number {
    return 0.5;
  }
}

class RecordingMetrics extends BankHttpMetrics {
  calls: (string | undefined)[] = [];
  retries: BankRetryObservation[] = [];
  circuit: [string, CircuitState][] = [];
  observeCall(o: { errorCode?: string }): void {
    this.calls.push(o.errorCode);
  }
  override observeRetry(o: BankRetryObservation): void {
    this.retries.push(o);
  }
  override observeCircuitState(profileId: string, state: CircuitState): void {
    this.circuit.push([profileId, state]);
  }
}

const POLICY: BankCallPolicy = {
  timeouts: { token: 2_000, registration: 2_000, payment: 2_000, read: 2_000, write: 2_000 },
  retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterSeconds: 5 },
  circuitBreaker: { failureThreshold: 100, openMs: 10_000 },
  concurrency: { maxConcurrent: 10, queueLimit: 10, queueTimeoutMs: 2_000 },
};

describe('BankHttpClient call policy', () => {
  let pki: TestPki;
  let server: LocalHttpsServer;
  let clock: FakeClock;
  let sleeper: FakeSleeper;
  let metrics: RecordingMetrics;
  let overrides: Record<string, BankCallPolicyOverrides>;
  let client: BankHttpClient;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    pki = await createTestPki();
    server = await startLocalHttpsServer(pki);
  });

  afterAll(async () => {
    await server.close();
  });

  const make = (policy: BankCallPolicy = POLICY): BankHttpClient => {
    const source: BankCallPolicySource = { overridesFor: (id) => overrides[id] };
    return new BankHttpClient(
      new HalfRandom(),
      { timeoutMs: 2_000, policy },
      undefined,
      metrics,
      source,
      clock,
      sleeper,
    );
  };

  beforeEach(() => {
    clock = new FakeClock();
    sleeper = new FakeSleeper(clock);
    metrics = new RecordingMetrics();
    overrides = {};
    client = make();
    server.requests.length = 0;
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });

  afterEach(() => client.onModuleDestroy());

  const call = (over: Partial<BankRequest> = {}) =>
    client.request({
      profileId: 'bank-a',
      endpoint: 'aisp.accounts',
      method: 'GET',
      url: `${server.url}/open-banking/v4.0/aisp/accounts`,
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

  /** Answers `statuses` in turn (then 200), each with the given headers. */
  function answerInTurn(statuses: number[], headers: Record<string, string> = {}): void {
    let n = 0;
    server.setHandler((_req, res) => {
      const status = statuses[n++] ?? 200;
      res
        .writeHead(status, { 'content-type': 'application/json', ...headers })
        .end(status === 200 ? '{"ok":true}' : '{"Code":"x"}');
    });
  }

  describe('retries', () => {
    it('retries a GET after 5xx with exponential backoff and full jitter, same interaction id', async () => {
      answerInTurn([503, 502]);
      const res = await call({ interactionId: 'iid-1' });
      expect(res.status).toBe(200);
      expect(server.requests).toHaveLength(3);
      expect(server.requests.map((r) => r.headers['x-fapi-interaction-id'])).toEqual([
        'iid-1',
        'iid-1',
        'iid-1',
      ]);
      // ceilings 100 then 200 ms, half of each (fixed jitter)
      expect(sleeper.waits).toEqual([50, 100]);
      expect(metrics.retries.map((r) => [r.attempt, r.errorCode, r.delayMs])).toEqual([
        [2, 'bank/server-error', 50],
        [3, 'bank/server-error', 100],
      ]);
    });

    it('gives up after maxAttempts with the last error', async () => {
      answerInTurn([500, 500, 503, 200]);
      const e = await failure(call());
      expect(e.code).toBe('bank/server-error');
      expect(e.bank?.status).toBe(503);
      expect(server.requests).toHaveLength(3);
    });

    it('never repeats a POST without an idempotency key', async () => {
      answerInTurn([503]);
      const e = await failure(call({ method: 'POST', endpoint: 'pisp.consent.create', body: {} }));
      expect(e.code).toBe('bank/server-error');
      expect(server.requests).toHaveLength(1);
    });

    it('repeats a POST with an idempotency key with the same key and the same bytes', async () => {
      answerInTurn([500, 504]);
      const res = await call({
        method: 'POST',
        endpoint: 'pisp.payment.create',
        headers: { 'x-idempotency-key': 'idem-1', 'x-jws-signature': 'sig' },
        body: { Data: { Amount: '1.00' } },
      });
      expect(res.status).toBe(200);
      expect(server.requests).toHaveLength(3);
      for (const r of server.requests) {
        expect(r.headers['x-idempotency-key']).toBe('idem-1');
        expect(r.headers['x-jws-signature']).toBe('sig');
        expect(r.body).toBe('{"Data":{"Amount":"1.00"}}');
      }
    });

    it('never repeats a token endpoint call, even one carrying a key', async () => {
      answerInTurn([503]);
      const e = await failure(
        call({
          method: 'POST',
          endpoint: 'token.authorization-code',
          headers: { 'x-idempotency-key': 'k' },
          body: 'grant_type=authorization_code&code=once',
        }),
      );
      expect(e.code).toBe('bank/server-error');
      expect(server.requests).toHaveLength(1);
    });

    it.each([
      [400, 'bank/request-rejected'],
      [404, 'bank/request-rejected'],
      [501, 'bank/server-error'],
    ])('does not retry a %i', async (status, code) => {
      answerInTurn([status]);
      expect((await failure(call())).code).toBe(code);
      expect(server.requests).toHaveLength(1);
    });

    it('does not retry a malformed body', async () => {
      server.setHandler((_req, res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"broken'),
      );
      expect((await failure(call())).code).toBe('bank/invalid-response');
      expect(server.requests).toHaveLength(1);
    });

    it('does not retry a TLS failure', async () => {
      const e = await failure(call({ trustedCaPem: undefined }));
      expect(e.code).toBe('bank/tls-failure');
      expect(metrics.calls).toEqual(['bank/tls-failure']);
      expect(sleeper.waits).toEqual([]);
    });

    it('retries a connection reset before any answer, then maps it to bank/connection-reset', async () => {
      server.setHandler((_req, res) => res.socket?.destroy());
      const e = await failure(call());
      expect(e.code).toBe('bank/connection-reset');
      expect(e.kind).toBe('bank-failure');
      expect(server.requests).toHaveLength(3);
    });

    it('retries a response cut off before its declared length (bank/incomplete-response)', async () => {
      let n = 0;
      server.setHandler((_req, res) => {
        if (n++ > 0) return res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        // close only once the partial body is on the wire
        res.write('{"Data":', () => setTimeout(() => res.socket?.destroy(), 20));
      });
      const res = await call();
      expect(res.data).toEqual({});
      expect(metrics.calls).toEqual(['bank/incomplete-response', undefined]);

      n = 0;
      server.setHandler((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        // close only once the partial body is on the wire
        res.write('{"Data":', () => setTimeout(() => res.socket?.destroy(), 20));
      });
      const e = await failure(call());
      expect(e.code).toBe('bank/incomplete-response');
      expect(e.bank?.status).toBe(200);
    });
  });

  describe('429 and Retry-After', () => {
    it('waits the seconds the bank asks for, then retries', async () => {
      answerInTurn([429], { 'retry-after': '2' });
      const res = await call();
      expect(res.status).toBe(200);
      expect(sleeper.waits).toEqual([2_000]);
    });

    it('reads an HTTP-date Retry-After against the clock', async () => {
      answerInTurn([503], { 'retry-after': new Date(clock.ms + 3_000).toUTCString() });
      await call();
      expect(sleeper.waits).toEqual([3_000]);
    });

    it('passes a Retry-After beyond the cap on to the caller without waiting', async () => {
      answerInTurn([429, 429], { 'retry-after': '60' });
      const e = await failure(call());
      expect(e.code).toBe('bank/rate-limited');
      expect(e.kind).toBe('too-many-requests');
      expect(e.retryAfterSeconds).toBe(60);
      expect(server.requests).toHaveLength(1);
      expect(sleeper.waits).toEqual([]);
    });

    it('backs off on a 429 without Retry-After and reports the last one', async () => {
      answerInTurn([429, 429, 429]);
      const e = await failure(call());
      expect(e.code).toBe('bank/rate-limited');
      expect(e.retryAfterSeconds).toBeUndefined();
      expect(sleeper.waits).toEqual([50, 100]);
    });
  });

  describe('timeouts per call type', () => {
    it('uses the timeout of the call type, and retries a timed-out GET', async () => {
      client.onModuleDestroy();
      client = make({
        ...POLICY,
        timeouts: { ...POLICY.timeouts, read: 100, token: 5_000 },
      });
      server.setHandler((_req, res) => {
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 400);
      });
      const e = await failure(call());
      expect(e.code).toBe('bank/timeout');
      expect(e.kind).toBe('bank-timeout');
      expect(server.requests).toHaveLength(3);
      const token = await call({
        method: 'POST',
        endpoint: 'token.client-credentials',
        body: 'a=b',
      });
      expect(token.status).toBe(200);
    });

    it("applies a profile's override to that bank only", async () => {
      overrides['slow-bank'] = { timeouts: { readMs: 100 }, retry: { maxAttempts: 1 } };
      server.setHandler((_req, res) => {
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 400);
      });
      expect((await failure(call({ profileId: 'slow-bank' }))).code).toBe('bank/timeout');
      expect(server.requests).toHaveLength(1);
      expect((await call({ profileId: 'bank-a' })).status).toBe(200);
    });
  });

  describe('circuit breaker', () => {
    beforeEach(() => {
      overrides['bank-a'] = {
        retry: { maxAttempts: 1 },
        circuitBreaker: { failureThreshold: 3, openMs: 10_000 },
      };
    });

    it('opens after repeated failures, fails fast with 503 bank/circuit-open, other banks unaffected', async () => {
      answerInTurn([500, 503, 502]);
      for (let i = 0; i < 3; i++) expect((await failure(call())).code).toBe('bank/server-error');
      expect(client.circuitState('bank-a')).toBe('open');

      const fast = await failure(call());
      expect(fast.code).toBe('bank/circuit-open');
      expect(fast.kind).toBe('unavailable');
      expect(fast.retryAfterSeconds).toBe(10);
      expect(fast.bank?.status).toBeNull();
      expect(server.requests).toHaveLength(3); // not sent

      expect((await call({ profileId: 'bank-b' })).status).toBe(200);
      expect(client.circuitState('bank-b')).toBe('closed');
      expect(metrics.circuit).toEqual([['bank-a', 'open']]);
      // the refused call is no bank request in the metrics
      expect(metrics.calls).toEqual([
        'bank/server-error',
        'bank/server-error',
        'bank/server-error',
        undefined,
      ]);
    });

    it('counts timeouts and broken connections, never 4xx', async () => {
      answerInTurn([400, 401, 403, 404, 409, 422]);
      for (let i = 0; i < 6; i++) await failure(call());
      expect(client.circuitState('bank-a')).toBe('closed');

      server.setHandler((_req, res) => res.socket?.destroy());
      for (let i = 0; i < 2; i++) await failure(call());
      expect(client.circuitState('bank-a')).toBe('closed');
      await failure(call({ url: 'https://127.0.0.1:1/x' }));
      expect(client.circuitState('bank-a')).toBe('open');
    });

    it('closes again after the cool-down when the probe succeeds', async () => {
      answerInTurn([500, 500, 500]);
      for (let i = 0; i < 3; i++) await failure(call());
      clock.ms += 9_999;
      expect((await failure(call())).code).toBe('bank/circuit-open');
      clock.ms += 1;
      expect((await call()).status).toBe(200);
      expect(client.circuitState('bank-a')).toBe('closed');
      expect(metrics.circuit.map(([, s]) => s)).toEqual(['open', 'half-open', 'closed']);
    });

    it('opens again when the probe fails', async () => {
      answerInTurn([500, 500, 500, 500]);
      for (let i = 0; i < 3; i++) await failure(call());
      clock.ms += 10_000;
      expect((await failure(call())).code).toBe('bank/server-error');
      expect(client.circuitState('bank-a')).toBe('open');
      expect((await failure(call())).code).toBe('bank/circuit-open');
    });

    it('stops retrying when its own failures open the circuit, reporting the bank error', async () => {
      overrides['bank-a'] = {
        retry: { maxAttempts: 5 },
        circuitBreaker: { failureThreshold: 2, openMs: 10_000 },
      };
      answerInTurn([500, 500, 500, 500, 500]);
      const e = await failure(call());
      expect(e.code).toBe('bank/server-error');
      expect(server.requests).toHaveLength(2);
    });
  });

  describe('concurrency limit', () => {
    it('queues calls past the limit per bank, refuses past the queue, times out in the queue', async () => {
      overrides['bank-a'] = {
        concurrency: { maxConcurrent: 1, queueLimit: 1, queueTimeoutMs: 300 },
      };
      const held: (() => void)[] = [];
      server.setHandler((_req, res) => {
        held.push(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
      });
      const first = call();
      await waitFor(() => held.length === 1);
      const queued = failure(call());
      const full = await failure(call());
      expect(full.code).toBe('bank/queue-full');
      expect(full.kind).toBe('unavailable');
      // another bank is not limited by bank-a's queue
      const other = call({ profileId: 'bank-b' });
      await waitFor(() => held.length === 2);
      held[1]();
      expect((await other).status).toBe(200);

      const timedOut = await queued;
      expect(timedOut.code).toBe('bank/queue-timeout');
      expect(timedOut.retryAfterSeconds).toBe(1);
      held[0]();
      expect((await first).status).toBe(200);
      expect(server.requests).toHaveLength(2);
    });

    it("reports the bank's error when a retry finds no slot", async () => {
      overrides['bank-a'] = {
        concurrency: { maxConcurrent: 1, queueLimit: 5, queueTimeoutMs: 1_000 },
      };
      const held: (() => void)[] = [];
      let n = 0;
      server.setHandler((_req, res) => {
        if (n++ === 0) {
          setTimeout(() => res.writeHead(503).end(), 50);
          return;
        }
        held.push(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
      });
      const first = failure(call());
      await waitFor(() => server.requests.length === 1);
      const second = call(); // queued; takes the slot when the first attempt fails
      const e = await first; // its retry waited for a slot in vain
      expect(e.code).toBe('bank/server-error');
      expect(e.bank?.status).toBe(503);
      expect(sleeper.waits).toHaveLength(1);
      await waitFor(() => held.length === 1);
      held[0]();
      expect((await second).status).toBe(200);
      expect(server.requests).toHaveLength(2);
    });

    it('lets a queued call go when a slot frees', async () => {
      overrides['bank-a'] = {
        concurrency: { maxConcurrent: 1, queueLimit: 5, queueTimeoutMs: 5_000 },
      };
      const held: (() => void)[] = [];
      server.setHandler((_req, res) => {
        held.push(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
      });
      const first = call();
      const second = call();
      await waitFor(() => held.length === 1);
      await new Promise((r) => setTimeout(r, 50));
      expect(held).toHaveLength(1); // the second waits for the slot
      held[0]();
      await first;
      await waitFor(() => held.length === 2);
      held[1]();
      expect((await second).status).toBe(200);
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
