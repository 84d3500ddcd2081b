import type { BankHttpMethod } from '../bank-http.types';

/**
 * What a bank call does, for its timeout and retry rules: `token` (token endpoint grants),
 * `registration` (DCR), `payment` (creating a payment or VRP), `read` (any other GET) and
 * `write` (any other POST, PUT, PATCH or DELETE).
 */
export const BANK_CALL_TYPES = ['token', 'registration', 'payment', 'read', 'write'] as const;
export type BankCallType = (typeof BANK_CALL_TYPES)[number];

/** The resolved rules for calls to one bank (global settings with the profile's overrides). */
export interface BankCallPolicy {
  /** Deadline of one attempt, per call type, in milliseconds. */
  timeouts: Record<BankCallType, number>;
  retry: {
    /** Attempts in all (1: never retry) for calls that are safe to repeat. */
    maxAttempts: number;
    /** Backoff ceiling of the first retry; doubles each retry (full jitter: a random wait below it). */
    baseDelayMs: number;
    /** Largest backoff ceiling. */
    maxDelayMs: number;
    /** A Retry-After longer than this is not waited for: the error reaches the caller at once. */
    maxRetryAfterSeconds: number;
  };
  circuitBreaker: {
    /** Consecutive failures (5xx, timeouts, connection failures) that open the circuit. */
    failureThreshold: number;
    /** How long an open circuit fails calls fast before one probe call is let through. */
    openMs: number;
  };
  concurrency: {
    /** Calls in flight to this bank at once. */
    maxConcurrent: number;
    /** Calls waiting for a slot; one more fails at once. */
    queueLimit: number;
    /** Longest wait for a slot. */
    queueTimeoutMs: number;
  };
}

/**
 * Per-bank overrides, each optional: the shape of a bank profile's `callPolicy`
 * (libs/bank-profiles/schema/bank-profile.schema.json). Absent values come from the settings.
 */
export interface BankCallPolicyOverrides {
  timeouts?: Partial<Record<`${BankCallType}Ms`, number>>;
  retry?: Partial<BankCallPolicy['retry']>;
  circuitBreaker?: Partial<BankCallPolicy['circuitBreaker']>;
  concurrency?: Partial<BankCallPolicy['concurrency']>;
}

/** Where per-bank overrides come from; the connector binds it to the bank profiles. */
export abstract class BankCallPolicySource {
  abstract overridesFor(profileId: string): BankCallPolicyOverrides | undefined;
}

export const NO_POLICY_OVERRIDES: BankCallPolicySource = { overridesFor: () => undefined };

export function defaultBankCallPolicy(timeoutMs: number): BankCallPolicy {
  return {
    timeouts: {
      token: timeoutMs,
      registration: timeoutMs,
      payment: timeoutMs,
      read: timeoutMs,
      write: timeoutMs,
    },
    retry: { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2_000, maxRetryAfterSeconds: 10 },
    circuitBreaker: { failureThreshold: 5, openMs: 30_000 },
    concurrency: { maxConcurrent: 20, queueLimit: 200, queueTimeoutMs: 5_000 },
  };
}

function defined<T extends object>(values: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(values ?? {})) {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** The global policy with one bank's overrides applied. */
export function resolveBankCallPolicy(
  defaults: BankCallPolicy,
  overrides: BankCallPolicyOverrides | undefined,
): BankCallPolicy {
  if (!overrides) return defaults;
  const t = overrides.timeouts ?? {};
  return {
    timeouts: {
      token: t.tokenMs ?? defaults.timeouts.token,
      registration: t.registrationMs ?? defaults.timeouts.registration,
      payment: t.paymentMs ?? defaults.timeouts.payment,
      read: t.readMs ?? defaults.timeouts.read,
      write: t.writeMs ?? defaults.timeouts.write,
    },
    retry: { ...defaults.retry, ...defined(overrides.retry) },
    circuitBreaker: { ...defaults.circuitBreaker, ...defined(overrides.circuitBreaker) },
    concurrency: { ...defaults.concurrency, ...defined(overrides.concurrency) },
  };
}

/** The call type from the logical endpoint name callers already give (see BankRequest.endpoint). */
export function callTypeOf(endpoint: string, method: BankHttpMethod): BankCallType {
  if (endpoint === 'token' || endpoint.startsWith('token.') || endpoint === 'directory.token')
    return 'token';
  if (endpoint.startsWith('dcr.')) return 'registration';
  if (method === 'POST' && /(^|\.)(payment|vrp)\.create$/.test(endpoint)) return 'payment';
  return method === 'GET' ? 'read' : 'write';
}

export const IDEMPOTENCY_KEY_HEADER = 'x-idempotency-key';

/**
 * Whether repeating the call cannot do anything twice: GETs, and POSTs that carry an
 * idempotency key (the bank answers a repeat with the first result). Token endpoint POSTs are
 * never repeated: an authorization code or a rotated refresh token is single-use, so a second
 * try after a lost answer fails at best and looks like code replay at worst.
 */
export function isRepeatable(
  method: BankHttpMethod,
  callType: BankCallType,
  headers: Readonly<Record<string, string>>,
): boolean {
  if (method === 'GET') return true;
  if (callType === 'token') return false;
  return method === 'POST' && (headers[IDEMPOTENCY_KEY_HEADER] ?? '').trim().length > 0;
}

/** A `Retry-After` value (delay seconds or an HTTP date) as milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * Exponential backoff with full jitter: a uniformly random wait below
 * min(maxDelayMs, baseDelayMs * 2^(retry-1)), so many callers retrying together spread out.
 */
export function backoffDelayMs(
  retry: number,
  policy: Pick<BankCallPolicy['retry'], 'baseDelayMs' | 'maxDelayMs'>,
  fraction: number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(ceiling * Math.min(Math.max(fraction, 0), 1));
}
