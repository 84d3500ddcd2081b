import { Injectable } from '@nestjs/common';
import { BankCallObservation, BankHttpMetrics } from '@obc/bank-http';
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
}
