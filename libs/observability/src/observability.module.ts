import {
  DynamicModule,
  Global,
  MiddlewareConsumer,
  Module,
  NestModule,
  RequestMethod,
} from '@nestjs/common';
import { ConnectorMetrics, OBSERVABILITY_OPTIONS, ObservabilityOptions } from './connector-metrics';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { PrometheusBankHttpMetrics } from './prometheus-bank-http.metrics';
import { PrometheusTokenMetrics } from './prometheus-token.metrics';

const exported = [ConnectorMetrics, PrometheusBankHttpMetrics, PrometheusTokenMetrics];

/**
 * Global: the metrics registry, `GET /metrics` and HTTP server timing for every route. Bank and
 * token metrics reach Prometheus when the app binds them:
 * `BankHttpModule.forRoot({ metrics: PrometheusBankHttpMetrics })` and
 * `TokenManagementModule.withMetrics(PrometheusTokenMetrics)`.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [ConnectorMetrics, PrometheusBankHttpMetrics, PrometheusTokenMetrics],
  exports: exported,
})
export class ObservabilityModule implements NestModule {
  /** Options only: the controller and providers come from the static metadata above. */
  static forRoot(options: ObservabilityOptions = {}): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      providers: [{ provide: OBSERVABILITY_OPTIONS, useValue: options }],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(HttpMetricsMiddleware)
      .forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
  }
}
