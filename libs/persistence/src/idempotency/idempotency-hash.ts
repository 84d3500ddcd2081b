import { createHash } from 'node:crypto';

/** The OB v4.0 payment-initiation spec caps `x-idempotency-key` at 40 characters. */
export const BANK_IDEMPOTENCY_KEY_MAX_LENGTH = 40;

/** The longest `Idempotency-Key` a caller may send (the column length). */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 128;

/**
 * JSON with object keys sorted at every level, so the same request hashes the same whatever the
 * order its properties arrived in. Follows JSON.stringify for undefined and functions (dropped
 * in objects, null in arrays) and toJSON (Dates become their ISO string).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (value !== null && typeof value === 'object') {
    const withJson = value as { toJSON?: () => unknown };
    if (typeof withJson.toJSON === 'function') return sortKeys(withJson.toJSON());
    if (Array.isArray(value)) return value.map((v) => sortKeys(v) ?? null);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = sortKeys((value as Record<string, unknown>)[k]);
      if (v !== undefined && typeof v !== 'function') out[k] = v;
    }
    return out;
  }
  return value;
}

export function requestHash(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/**
 * The `x-idempotency-key` sent to the bank, derived (not random) from scope, caller and key:
 * whichever replica retries, after whatever crash, it sends the same value, and two callers
 * using the same key never collide at the bank. 40 hex characters (160 bits of sha256).
 */
export function deriveBankIdempotencyKey(scope: string, callerId: string, key: string): string {
  return createHash('sha256')
    .update(JSON.stringify([scope, callerId, key]))
    .digest('hex')
    .slice(0, BANK_IDEMPOTENCY_KEY_MAX_LENGTH);
}
