/** One finished bank call, as the metrics layer sees it (identifiers only, no payloads). */
export interface BankCallObservation {
  profileId: string;
  /** Logical endpoint name, e.g. `token.client-credentials`. */
  endpoint: string;
  method: string;
  /** HTTP status, or null when the bank did not answer. */
  status: number | null;
  /** `2xx`…`5xx`, or `none` when there was no answer. */
  statusClass: string;
  durationMs: number;
  /** The BankCallError code when the call failed. */
  errorCode?: string;
}

/** A failed attempt that is being tried again. */
export interface BankRetryObservation {
  profileId: string;
  endpoint: string;
  /** The error code of the failed attempt, e.g. `bank/server-error`. */
  errorCode: string;
  /** 2 for the first retry. */
  attempt: number;
  delayMs: number;
}

/** Bound to Prometheus by the metrics module; a no-op by default. */
export abstract class BankHttpMetrics {
  abstract observeCall(observation: BankCallObservation): void;
  /** Each retry of a bank call (default: ignored). */
  observeRetry(_observation: BankRetryObservation): void {}
  /** A bank's circuit changed state (default: ignored). */
  observeCircuitState(_profileId: string, _state: 'closed' | 'open' | 'half-open'): void {}
}

export class NoopBankHttpMetrics extends BankHttpMetrics {
  observeCall(): void {}
}

export function statusClassOf(status: number | null): string {
  return status === null ? 'none' : `${Math.floor(status / 100)}xx`;
}
