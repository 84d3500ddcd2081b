import { ConnectorConfig } from '@obc/config';
import { bankHttpSettingsFrom } from './bank-http.module';
import { DEFAULT_BANK_HTTP_SETTINGS } from './bank-http.settings';

describe('bankHttpSettingsFrom', () => {
  it('maps the BANK_HTTP_* tree to the global call policy', () => {
    const config = {
      bankHttp: {
        timeoutMs: 10_000,
        caBundlePem: 'pem',
        timeouts: { tokenMs: 1, registrationMs: 2, paymentMs: 3, readMs: 4, writeMs: 5 },
        retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterSeconds: 30 },
        circuitBreaker: { failureThreshold: 7, openMs: 8_000 },
        concurrency: { maxConcurrent: 9, queueLimit: 10, queueTimeoutMs: 11 },
      },
    } as unknown as ConnectorConfig;
    expect(bankHttpSettingsFrom(config)).toEqual({
      timeoutMs: 10_000,
      caBundlePem: 'pem',
      logSuccessfulCalls: true,
      policy: {
        timeouts: { token: 1, registration: 2, payment: 3, read: 4, write: 5 },
        retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterSeconds: 30 },
        circuitBreaker: { failureThreshold: 7, openMs: 8_000 },
        concurrency: { maxConcurrent: 9, queueLimit: 10, queueTimeoutMs: 11 },
      },
    });
  });

  it.each([
    ['info', false],
    ['warn', false],
    ['debug', true],
    ['trace', true],
  ])('logs successful calls at LOG_LEVEL=%s: %s', (level, logged) => {
    const config = {
      log: { level },
      bankHttp: {
        timeoutMs: 1,
        timeouts: {},
        retry: {},
        circuitBreaker: {},
        concurrency: {},
      },
    } as unknown as ConnectorConfig;
    expect(bankHttpSettingsFrom(config).logSuccessfulCalls).toBe(logged);
  });

  it('falls back to the defaults without configuration', () => {
    expect(bankHttpSettingsFrom(undefined)).toBe(DEFAULT_BANK_HTTP_SETTINGS);
  });
});
