import { Inject, Injectable, Optional } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const METRIC_PREFIX = 'obc_';

export interface ObservabilityOptions {
  /** Process metrics (CPU, memory, event loop, GC) with the `obc_` prefix; default true. */
  defaultMetrics?: boolean;
}

export const OBSERVABILITY_OPTIONS = Symbol('obc:observability-options');

/** Seconds; server answers are mostly fast, but bank calls behind them can take a while. */
const HTTP_SERVER_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds; banks answer in tens of milliseconds to tens of seconds (timeouts). */
const BANK_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Every series the connector exposes, in one dedicated registry (not prom-client's global one,
 * so tests and embedders never collide with other libraries' metrics). Labels hold identifiers
 * only (profile ids, logical endpoint names, route templates): never ids, tokens or URLs.
 */
@Injectable()
export class ConnectorMetrics {
  readonly registry = new Registry();

  readonly httpServerDuration = new Histogram({
    name: `${METRIC_PREFIX}http_server_request_duration_seconds`,
    help: 'Time to answer API requests, by method, route template and status class.',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: HTTP_SERVER_BUCKETS,
    registers: [this.registry],
  });

  readonly httpServerRequests = new Counter({
    name: `${METRIC_PREFIX}http_server_requests_total`,
    help: 'API requests answered, by method, route template and status class.',
    labelNames: ['method', 'route', 'status_class'] as const,
    registers: [this.registry],
  });

  /** One answered API request: its duration and its count, under the same labels. */
  recordHttpRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status_class: httpStatusClass(status) };
    this.httpServerDuration.observe(labels, seconds);
    this.httpServerRequests.inc(labels);
  }

  readonly bankRequests = new Counter({
    name: `${METRIC_PREFIX}bank_requests_total`,
    help: 'Calls to banks, by bank profile, logical endpoint, method and status class (none: no answer).',
    labelNames: ['profile', 'endpoint', 'method', 'status_class'] as const,
    registers: [this.registry],
  });

  readonly bankRequestDuration = new Histogram({
    name: `${METRIC_PREFIX}bank_request_duration_seconds`,
    help: 'Duration of calls to banks, by bank profile, logical endpoint and status class.',
    labelNames: ['profile', 'endpoint', 'status_class'] as const,
    buckets: BANK_BUCKETS,
    registers: [this.registry],
  });

  readonly bankRequestErrors = new Counter({
    name: `${METRIC_PREFIX}bank_request_errors_total`,
    help: 'Failed calls to banks, by bank profile, logical endpoint and connector error code.',
    labelNames: ['profile', 'endpoint', 'code'] as const,
    registers: [this.registry],
  });

  readonly tppReportingResponses = new Counter({
    name: `${METRIC_PREFIX}tpp_reporting_responses_total`,
    help:
      'Bank API responses in the OB TPP reporting categories (2xx, 4xx, 5xx, no_response), ' +
      'by bank profile and logical endpoint.',
    labelNames: ['bank', 'endpoint', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly bankRequestRetries = new Counter({
    name: `${METRIC_PREFIX}bank_request_retries_total`,
    help: "Bank calls tried again after a transient failure, by bank profile, logical endpoint and the failed attempt's error code.",
    labelNames: ['profile', 'endpoint', 'code'] as const,
    registers: [this.registry],
  });

  readonly bankCircuitState = new Gauge({
    name: `${METRIC_PREFIX}bank_circuit_state`,
    help: 'Circuit breaker state per bank profile: 0 closed, 1 half-open, 2 open (calls fail fast).',
    labelNames: ['profile'] as const,
    registers: [this.registry],
  });

  readonly tokenCacheRequests = new Counter({
    name: `${METRIC_PREFIX}token_cache_requests_total`,
    help: 'Token and discovery cache look-ups, by result (hit, miss) and kind.',
    labelNames: ['result', 'kind'] as const,
    registers: [this.registry],
  });

  constructor(@Optional() @Inject(OBSERVABILITY_OPTIONS) options?: ObservabilityOptions) {
    if (options?.defaultMetrics !== false) {
      collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
    }
  }

  /** The Prometheus text exposition of every series. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** `2xx`…`5xx` for an HTTP status. */
export function httpStatusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}
