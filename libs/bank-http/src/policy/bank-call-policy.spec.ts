import { Clock } from '@obc/common';
import {
  backoffDelayMs,
  callTypeOf,
  defaultBankCallPolicy,
  isRepeatable,
  resolveBankCallPolicy,
  retryAfterMs,
} from './bank-call-policy';
import { CircuitBreaker, CircuitState } from './circuit-breaker';
import { ConcurrencyLimiter, SlotUnavailable } from './concurrency-limiter';

class FakeClock extends Clock {
  constructor(public ms = Date.UTC(2026, 11, 6, 10, 0, 0)) {
    super();
  }
  now(): Date {
    return new Date(this.ms);
  }
}

describe('call types', () => {
  it.each([
    ['token.client-credentials', 'POST', 'token'],
    ['token.authorization-code', 'POST', 'token'],
    ['directory.token', 'POST', 'token'],
    ['dcr.register', 'POST', 'registration'],
    ['dcr.get', 'GET', 'registration'],
    ['pisp.payment.create', 'POST', 'payment'],
    ['vrp.payment.create', 'POST', 'payment'],
    ['pisp.consent.create', 'POST', 'write'],
    ['vrp.consent.delete', 'DELETE', 'write'],
    ['aisp.accounts', 'GET', 'read'],
    ['discovery', 'GET', 'read'],
  ] as const)('%s %s is a %s call', (endpoint, method, type) => {
    expect(callTypeOf(endpoint, method)).toBe(type);
  });
});

describe('which calls may be repeated', () => {
  it('GETs always', () => {
    expect(isRepeatable('GET', 'read', {})).toBe(true);
  });

  it('POSTs only with an idempotency key', () => {
    expect(isRepeatable('POST', 'payment', {})).toBe(false);
    expect(isRepeatable('POST', 'payment', { 'x-idempotency-key': '  ' })).toBe(false);
    expect(isRepeatable('POST', 'payment', { 'x-idempotency-key': 'k-1' })).toBe(true);
    expect(isRepeatable('POST', 'write', { 'x-idempotency-key': 'k-1' })).toBe(true);
  });

  it('never a token endpoint call (single-use codes) nor a DELETE, PUT or PATCH', () => {
    expect(isRepeatable('POST', 'token', { 'x-idempotency-key': 'k-1' })).toBe(false);
    expect(isRepeatable('DELETE', 'write', { 'x-idempotency-key': 'k-1' })).toBe(false);
    expect(isRepeatable('PUT', 'registration', { 'x-idempotency-key': 'k-1' })).toBe(false);
  });
});

describe('Retry-After', () => {
  const now = Date.UTC(2026, 11, 6, 10, 0, 0);

  it('reads delay seconds', () => {
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date, relative to the clock, never negative', () => {
    expect(retryAfterMs(new Date(now + 7_000).toUTCString(), now)).toBe(7_000);
    expect(retryAfterMs(new Date(now - 7_000).toUTCString(), now)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-5', now)).toBeUndefined();
    expect(retryAfterMs('1.5', now)).toBeUndefined();
  });
});

describe('backoff with full jitter', () => {
  const retry = { baseDelayMs: 100, maxDelayMs: 1_000 };

  it('doubles the ceiling each retry up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, retry, 0.999999))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
  });

  it('waits a random share of the ceiling', () => {
    expect(backoffDelayMs(3, retry, 0)).toBe(0);
    expect(backoffDelayMs(3, retry, 0.5)).toBe(200);
    expect(backoffDelayMs(3, retry, 7)).toBe(400); // out-of-range randomness is clamped
  });
});

describe('resolving a bank policy', () => {
  const defaults = defaultBankCallPolicy(10_000);

  it('is the defaults without overrides', () => {
    expect(resolveBankCallPolicy(defaults, undefined)).toBe(defaults);
    expect(defaults.timeouts).toEqual({
      token: 10_000,
      registration: 10_000,
      payment: 10_000,
      read: 10_000,
      write: 10_000,
    });
  });

  it('overrides only the values a profile gives', () => {
    const p = resolveBankCallPolicy(defaults, {
      timeouts: { paymentMs: 45_000 },
      retry: { maxAttempts: 1 },
      circuitBreaker: { openMs: 5_000, failureThreshold: undefined },
      concurrency: { maxConcurrent: 2 },
    });
    expect(p.timeouts.payment).toBe(45_000);
    expect(p.timeouts.read).toBe(10_000);
    expect(p.retry).toEqual({ ...defaults.retry, maxAttempts: 1 });
    expect(p.circuitBreaker).toEqual({ failureThreshold: 5, openMs: 5_000 });
    expect(p.concurrency).toEqual({ ...defaults.concurrency, maxConcurrent: 2 });
    expect(defaults.retry.maxAttempts).toBe(3); // the defaults are not changed
  });
});

describe('CircuitBreaker', () => {
  let clock: FakeClock;
  let states: CircuitState[];
  let breaker: CircuitBreaker;

  beforeEach(() => {
    clock = new FakeClock();
    states = [];
    breaker = new CircuitBreaker(clock, { failureThreshold: 3, openMs: 10_000 }, (s) =>
      states.push(s),
    );
  });

  const failTimes = (n: number) => {
    for (let i = 0; i < n; i++) {
      expect(breaker.admit()).toEqual({ admitted: true, probe: false });
      breaker.failure();
    }
  };

  it('opens after the threshold of consecutive failures and refuses with the time left', () => {
    failTimes(2);
    expect(breaker.current).toBe('closed');
    failTimes(1);
    expect(breaker.current).toBe('open');
    expect(breaker.admit()).toEqual({ admitted: false, retryAfterMs: 10_000 });
    clock.ms += 4_000;
    expect(breaker.admit()).toEqual({ admitted: false, retryAfterMs: 6_000 });
    expect(states).toEqual(['open']);
  });

  it('counts consecutive failures only: a success in between starts again', () => {
    failTimes(2);
    breaker.success();
    failTimes(2);
    expect(breaker.current).toBe('closed');
  });

  it('lets one probe through after the cool-down; its success closes the circuit', () => {
    failTimes(3);
    clock.ms += 10_000;
    expect(breaker.peek()).toEqual({ admitted: true, probe: true });
    expect(breaker.admit()).toEqual({ admitted: true, probe: true });
    expect(breaker.current).toBe('half-open');
    // only one probe at a time
    expect(breaker.admit().admitted).toBe(false);
    breaker.success();
    expect(breaker.current).toBe('closed');
    expect(breaker.admit()).toEqual({ admitted: true, probe: false });
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('opens again for a full cool-down when the probe fails', () => {
    failTimes(3);
    clock.ms += 10_000;
    breaker.admit();
    breaker.failure();
    expect(breaker.current).toBe('open');
    expect(breaker.admit()).toEqual({ admitted: false, retryAfterMs: 10_000 });
  });

  it('lets another probe through when one was abandoned before reaching the bank', () => {
    failTimes(3);
    clock.ms += 10_000;
    breaker.admit();
    breaker.abandon(true);
    expect(breaker.admit()).toEqual({ admitted: true, probe: true });
  });
});

describe('ConcurrencyLimiter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs at most maxConcurrent at once, the rest first come first served', async () => {
    const limiter = new ConcurrencyLimiter({
      maxConcurrent: 2,
      queueLimit: 10,
      queueTimeoutMs: 1_000,
    });
    const r1 = await limiter.acquire();
    const r2 = await limiter.acquire();
    const order: number[] = [];
    const third = limiter.acquire().then((r) => (order.push(3), r));
    const fourth = limiter.acquire().then((r) => (order.push(4), r));
    expect(limiter.inFlight).toBe(2);
    expect(limiter.waiting).toBe(2);
    r1();
    r1(); // releasing twice frees one slot only
    const r3 = await third;
    expect(order).toEqual([3]);
    expect(limiter.inFlight).toBe(2);
    r2();
    (await fourth)();
    r3();
    expect(order).toEqual([3, 4]);
    expect(limiter.inFlight).toBe(0);
  });

  it('refuses at once when the queue is full', async () => {
    const limiter = new ConcurrencyLimiter({
      maxConcurrent: 1,
      queueLimit: 1,
      queueTimeoutMs: 1_000,
    });
    await limiter.acquire();
    void limiter.acquire().catch(() => undefined);
    await expect(limiter.acquire()).rejects.toEqual(new SlotUnavailable('queue-full', 0));
  });

  it('gives up waiting after the queue timeout and frees the place in the queue', async () => {
    const limiter = new ConcurrencyLimiter({
      maxConcurrent: 1,
      queueLimit: 5,
      queueTimeoutMs: 500,
    });
    const release = await limiter.acquire();
    const waiting = limiter.acquire();
    jest.advanceTimersByTime(499);
    expect(limiter.waiting).toBe(1);
    jest.advanceTimersByTime(1);
    await expect(waiting).rejects.toMatchObject({ reason: 'queue-timeout', waitedMs: 500 });
    expect(limiter.waiting).toBe(0);
    release();
    expect(limiter.inFlight).toBe(0);
  });
});
