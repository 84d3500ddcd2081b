import { ConfigValidationError, ConnectorConfigTree } from '@obc/config';

/** What `startTracing` needs, validated: an endpoint is always present. */
export interface TracingSettings {
  otlpEndpoint: string;
  serviceName: string;
  serviceVersion: string;
  /** Fraction 0..1 of new root traces sampled. */
  sampleRatio: number;
}

/**
 * The tracing settings to start with, or undefined when tracing is off. The endpoint depends
 * on TRACING_ENABLED, which the per-variable parsers cannot express, so it is checked here and
 * reported as a configuration error like the others.
 */
export function tracingSettingsFrom(
  config: Pick<ConnectorConfigTree, 'tracing'>,
  serviceVersion: string,
): TracingSettings | undefined {
  const tracing = config.tracing;
  if (!tracing.enabled) return undefined;
  if (!tracing.otlpEndpoint) {
    throw new ConfigValidationError([
      {
        variable: 'TRACING_OTLP_ENDPOINT',
        message:
          'required when TRACING_ENABLED is true: set it to the OTLP/HTTP traces endpoint (e.g. http://otel-collector:4318/v1/traces), or set TRACING_ENABLED=false',
      },
    ]);
  }
  return {
    otlpEndpoint: tracing.otlpEndpoint,
    serviceName: tracing.serviceName,
    serviceVersion,
    sampleRatio: tracing.sampleRatio,
  };
}
