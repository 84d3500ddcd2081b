import type { Clock } from '@obc/common';
import type { BankCallPolicy } from './bank-call-policy';

export type CircuitState = 'closed' | 'open' | 'half-open';

/** The outcome of asking to call: go ahead (maybe as the half-open probe), or wait this long. */
export type CircuitAdmission =
  { admitted: true; probe: boolean } | { admitted: false; retryAfterMs: number };

/**
 * One bank's circuit: closed (calls go through, consecutive failures counted), open (calls fail
 * fast until the cool-down has passed), half-open (one probe call goes through; its success
 * closes the circuit, its failure opens it again). Failures are what say the bank is down:
 * 5xx, timeouts and broken connections; a 4xx means the bank is up and answering.
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probeInFlight = false;

  constructor(
    private readonly clock: Clock,
    private settings: BankCallPolicy['circuitBreaker'],
    private readonly onStateChange: (state: CircuitState) => void = () => undefined,
  ) {}

  /** The policy may change between calls (it is resolved per call); the state is kept. */
  configure(settings: BankCallPolicy['circuitBreaker']): void {
    this.settings = settings;
  }

  get current(): CircuitState {
    return this.state;
  }

  /** Without taking the probe: would a call be refused now? */
  peek(): CircuitAdmission {
    if (this.state === 'closed') return { admitted: true, probe: false };
    const remaining = this.openedAt + this.settings.openMs - this.clock.nowMs();
    if (this.state === 'open' && remaining > 0) return { admitted: false, retryAfterMs: remaining };
    if (this.probeInFlight) return { admitted: false, retryAfterMs: Math.max(remaining, 1_000) };
    return { admitted: true, probe: true };
  }

  /** Asks to make a call; a probe admission must end in `success`, `failure` or `abandon`. */
  admit(): CircuitAdmission {
    const admission = this.peek();
    if (admission.admitted && admission.probe) {
      this.probeInFlight = true;
      this.transition('half-open');
    }
    return admission;
  }

  success(): void {
    this.failures = 0;
    this.probeInFlight = false;
    this.transition('closed');
  }

  failure(): void {
    this.probeInFlight = false;
    if (this.state === 'half-open') return this.open();
    this.failures += 1;
    if (this.state === 'closed' && this.failures >= this.settings.failureThreshold) this.open();
  }

  /** A probe that never reached the bank (e.g. it timed out in the queue): let another try. */
  abandon(probe: boolean): void {
    if (probe) this.probeInFlight = false;
  }

  private open(): void {
    this.openedAt = this.clock.nowMs();
    this.failures = 0;
    this.transition('open');
  }

  private transition(state: CircuitState): void {
    if (this.state === state) return;
    this.state = state;
    this.onStateChange(state);
  }
}
