import { DynamicModule, Global, InjectionToken, Module, Provider, Type } from '@nestjs/common';
import { ConnectorConfig } from '@obc/config';
import { BankHttpClient } from './bank-http.client';
import { BankHttpSettings, DEFAULT_BANK_HTTP_SETTINGS } from './bank-http.settings';
import { BankHttpMetrics, NoopBankHttpMetrics } from './bank-http.metrics';
import { BankCallPolicySource, NO_POLICY_OVERRIDES } from './policy/bank-call-policy';

const DEBUG_LEVELS = new Set<string>(['debug', 'trace']);

/** `ConnectorConfig.bankHttp` when the config module is loaded, defaults otherwise (tests). */
export function bankHttpSettingsFrom(config?: ConnectorConfig): BankHttpSettings {
  if (!config?.bankHttp) return DEFAULT_BANK_HTTP_SETTINGS;
  const { timeoutMs, caBundlePem, timeouts, retry, circuitBreaker, concurrency } = config.bankHttp;
  return {
    timeoutMs,
    caBundlePem,
    // Successful calls are logged at debug: below it, their line is not built at all.
    logSuccessfulCalls: config.log?.level === undefined || DEBUG_LEVELS.has(config.log.level),
    policy: {
      timeouts: {
        token: timeouts.tokenMs,
        registration: timeouts.registrationMs,
        payment: timeouts.paymentMs,
        read: timeouts.readMs,
        write: timeouts.writeMs,
      },
      retry: { ...retry },
      circuitBreaker: { ...circuitBreaker },
      concurrency: { ...concurrency },
    },
  };
}

/** How the app supplies per-bank overrides (e.g. from the bank profiles' `callPolicy`). */
export interface BankCallPolicySourceProvider {
  inject: InjectionToken[];
  useFactory: (...deps: never[]) => BankCallPolicySource;
}

const SETTINGS_FROM_CONFIG: Provider = {
  provide: BankHttpSettings,
  useFactory: bankHttpSettingsFrom,
  inject: [{ token: ConnectorConfig, optional: true }],
};

/** Global: the one outbound HTTP client. */
@Global()
@Module({
  providers: [
    SETTINGS_FROM_CONFIG,
    { provide: BankHttpMetrics, useClass: NoopBankHttpMetrics },
    { provide: BankCallPolicySource, useValue: NO_POLICY_OVERRIDES },
    BankHttpClient,
  ],
  exports: [BankHttpClient, BankHttpSettings, BankHttpMetrics],
})
export class BankHttpModule {
  /**
   * Binds metrics (e.g. Prometheus) and, for tests or embedders, the settings; settings default
   * to ConnectorConfig.bankHttp.
   */
  static forRoot(
    options: {
      metrics?: Type<BankHttpMetrics>;
      settings?: BankHttpSettings;
      /** Per-bank policy overrides; none by default. */
      policies?: BankCallPolicySourceProvider;
    } = {},
  ): DynamicModule {
    return {
      module: BankHttpModule,
      global: true,
      providers: [
        options.settings
          ? { provide: BankHttpSettings, useValue: options.settings }
          : SETTINGS_FROM_CONFIG,
        { provide: BankHttpMetrics, useClass: options.metrics ?? NoopBankHttpMetrics },
        options.policies
          ? {
              provide: BankCallPolicySource,
              inject: options.policies.inject,
              useFactory: options.policies.useFactory,
            }
          : { provide: BankCallPolicySource, useValue: NO_POLICY_OVERRIDES },
        BankHttpClient,
      ],
      exports: [BankHttpClient, BankHttpSettings, BankHttpMetrics],
    };
  }
}
