import type { BankCallPolicy } from './policy/bank-call-policy';

/**
 * What the outbound layer needs from configuration. A class so it can be the injection token;
 * the app binds it to `ConnectorConfig.bankHttp` (see bank-http.module.ts).
 */
export abstract class BankHttpSettings {
  /** Default per-call timeout when a request does not name one (and no policy is given). */
  abstract readonly timeoutMs: number;
  /** Extra CA certificates trusted for every bank, on top of Node's default roots. */
  abstract readonly caBundlePem?: string;
  /**
   * Timeouts, retries, circuit breaker and concurrency for every bank, before the profile's
   * `callPolicy` overrides; absent: the defaults of `defaultBankCallPolicy(timeoutMs)`.
   */
  abstract readonly policy?: BankCallPolicy;
  /**
   * The largest bank response body read, in bytes (default MAX_BANK_RESPONSE_BYTES); a bigger one
   * is cut off and the call fails with bank/invalid-response instead of filling the heap.
   */
  abstract readonly maxResponseBytes?: number;
  /**
   * Whether successful calls are logged (at debug level); false when the log level is above
   * debug, so the line is not even built. Failed and refused calls are always logged. Default true.
   */
  abstract readonly logSuccessfulCalls?: boolean;
}

/** 16 MiB: far above any OB page (transaction pages run to hundreds of KB), far below the heap. */
export const MAX_BANK_RESPONSE_BYTES = 16 * 1024 * 1024;

export const DEFAULT_BANK_HTTP_SETTINGS: BankHttpSettings = { timeoutMs: 30_000 };
