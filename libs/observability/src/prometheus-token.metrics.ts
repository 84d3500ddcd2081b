import { Injectable } from '@nestjs/common';
import { TokenCacheKind, TokenMetrics } from '@obc/token-management';
import { ConnectorMetrics } from './connector-metrics';

/** Token and discovery cache look-ups; bound with `TokenManagementModule.withMetrics`. */
@Injectable()
export class PrometheusTokenMetrics extends TokenMetrics {
  constructor(private readonly metrics: ConnectorMetrics) {
    super();
  }

  cacheHit(kind: TokenCacheKind): void {
    this.metrics.tokenCacheRequests.inc({ result: 'hit', kind });
  }

  cacheMiss(kind: TokenCacheKind): void {
    this.metrics.tokenCacheRequests.inc({ result: 'miss', kind });
  }
}
