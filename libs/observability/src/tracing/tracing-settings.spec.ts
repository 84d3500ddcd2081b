import { ConfigValidationError, loadConnectorConfig } from '@obc/config';
import { tracingSettingsFrom } from './tracing-settings';

const base = { API_KEYS: 'a'.repeat(24) };

async function problemsOf(env: Record<string, string>): Promise<string> {
  try {
    await loadConnectorConfig({ ...base, ...env });
  } catch (e) {
    if (e instanceof ConfigValidationError) return e.message;
    throw e;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('tracing settings', () => {
  it('is off by default, with the documented defaults', async () => {
    const config = await loadConnectorConfig(base);
    expect(config.tracing).toEqual({
      enabled: false,
      serviceName: 'uk-open-banking-connector',
      sampleRatio: 1,
    });
    expect(tracingSettingsFrom(config, '1.2.3')).toBeUndefined();
  });

  it('parses every TRACING_* variable', async () => {
    const config = await loadConnectorConfig({
      ...base,
      TRACING_ENABLED: 'true',
      TRACING_OTLP_ENDPOINT: 'http://otel-collector:4318/v1/traces',
      TRACING_SERVICE_NAME: 'obc-test',
      TRACING_SAMPLE_RATIO: '0.25',
    });
    expect(tracingSettingsFrom(config, '1.2.3')).toEqual({
      otlpEndpoint: 'http://otel-collector:4318/v1/traces',
      serviceName: 'obc-test',
      serviceVersion: '1.2.3',
      sampleRatio: 0.25,
    });
  });

  it.each(['0', '1', '.5', '0.001', '1.0'])('accepts the ratio %s', async (ratio) => {
    const config = await loadConnectorConfig({ ...base, TRACING_SAMPLE_RATIO: ratio });
    expect(config.tracing.sampleRatio).toBe(Number(ratio));
  });

  it.each(['1.5', '-0.1', 'half', '1e-2'])('refuses the ratio %p', async (ratio) => {
    expect(await problemsOf({ TRACING_SAMPLE_RATIO: ratio })).toMatch(
      /TRACING_SAMPLE_RATIO: expected a number 0-1/,
    );
  });

  it('refuses an endpoint that is not an http(s) URL', async () => {
    expect(await problemsOf({ TRACING_OTLP_ENDPOINT: 'otel-collector:4318' })).toMatch(
      /TRACING_OTLP_ENDPOINT: expected an http\(s\) URL/,
    );
  });

  it('refuses TRACING_ENABLED=true without an endpoint, as a configuration error', async () => {
    const config = await loadConnectorConfig({ ...base, TRACING_ENABLED: 'true' });
    expect(() => tracingSettingsFrom(config, '1.2.3')).toThrow(ConfigValidationError);
    expect(() => tracingSettingsFrom(config, '1.2.3')).toThrow(
      /TRACING_OTLP_ENDPOINT: required when TRACING_ENABLED is true/,
    );
  });
});
