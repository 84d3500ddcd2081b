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

/** Bound to Prometheus by the metrics module; a no-op by default. */
export abstract class BankHttpMetrics {
  abstract observeCall(observation: BankCallObservation): void;
}

export class NoopBankHttpMetrics extends BankHttpMetrics {
  observeCall(): void {}
}

export function statusClassOf(status: number | null): string {
  return status === null ? 'none' : `${Math.floor(status / 100)}xx`;
}
