import {
  BANK_IDEMPOTENCY_KEY_MAX_LENGTH,
  canonicalJson,
  deriveBankIdempotencyKey,
  requestHash,
} from './idempotency-hash';

describe('idempotency hashing', () => {
  it('canonical JSON sorts keys at every level and follows JSON.stringify otherwise', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson([undefined, new Date('2025-01-02T03:04:05.000Z')])).toBe(
      '[null,"2025-01-02T03:04:05.000Z"]',
    );
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('hashes the same request the same whatever the key order, and a change differently', () => {
    const a = requestHash({ amount: { value: '1.00', currency: 'GBP' }, ref: 'x' });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(requestHash({ ref: 'x', amount: { currency: 'GBP', value: '1.00' } })).toBe(a);
    expect(requestHash({ ref: 'x', amount: { currency: 'GBP', value: '1.01' } })).not.toBe(a);
  });

  it('derives a bank key within the OB limit, stable, and distinct per scope, caller and key', () => {
    const k = deriveBankIdempotencyKey('domestic-payment', 'caller-1', 'k1');
    expect(k).toHaveLength(BANK_IDEMPOTENCY_KEY_MAX_LENGTH);
    expect(k).toMatch(/^[0-9a-f]{40}$/);
    expect(deriveBankIdempotencyKey('domestic-payment', 'caller-1', 'k1')).toBe(k);
    const others = [
      deriveBankIdempotencyKey('domestic-payment', 'caller-2', 'k1'),
      deriveBankIdempotencyKey('domestic-vrp', 'caller-1', 'k1'),
      deriveBankIdempotencyKey('domestic-payment', 'caller-1', 'k2'),
      // No ambiguity from joining: ('a-b', 'c') vs ('a', 'b-c').
      deriveBankIdempotencyKey('domestic-payment', 'caller-1k', '1'),
    ];
    expect(new Set([k, ...others]).size).toBe(5);
  });
});
