import { Injectable } from '@nestjs/common';
import {
  BankCallObservation,
  BankHttpMetrics,
  BankRetryObservation,
  CircuitState,
} from '@obc/bank-http';
import { ConnectorMetrics } from './connector-metrics';
import { tppReportingOutcome } from './tpp-reporting';

/** Bank calls as Prometheus series; bound with `BankHttpModule.forRoot({ metrics })`. */
@Injectable()
export class PrometheusBankHttpMetrics extends BankHttpMetrics {
  constructor(private readonly metrics: ConnectorMetrics) {
    super();
  }

  observeCall(call: BankCallObservation): void {
    const { profileId: profile, endpoint, statusClass: status_class } = call;
    this.metrics.bankRequests.inc({ profile, endpoint, method: call.method, status_class });
    this.metrics.bankRequestDuration.observe(
      { profile, endpoint, status_class },
      call.durationMs / 1000,
    );
    this.metrics.tppReportingResponses.inc({
      bank: profile,
      endpoint,
      outcome: tppReportingOutcome(call.status),
    });
    if (call.errorCode) {
      this.metrics.bankRequestErrors.inc({ profile, endpoint, code: call.errorCode });
    }
  }

  override observeRetry(retry: BankRetryObservation): void {
    this.metrics.bankRequestRetries.inc({
      profile: retry.profileId,
      endpoint: retry.endpoint,
      code: retry.errorCode,
    });
  }

  override observeCircuitState(profile: string, state: CircuitState): void {
    this.metrics.bankCircuitState.set({ profile }, CIRCUIT_STATE_VALUE[state]);
  }
}

const CIRCUIT_STATE_VALUE: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };
