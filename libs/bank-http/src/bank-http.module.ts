import { DynamicModule, Global, Module, Provider, Type } from '@nestjs/common';
import { ConnectorConfig } from '@obc/config';
import { BankHttpClient } from './bank-http.client';
import { BankHttpSettings, DEFAULT_BANK_HTTP_SETTINGS } from './bank-http.settings';
import { BankHttpMetrics, NoopBankHttpMetrics } from './bank-http.metrics';

/** `ConnectorConfig.bankHttp` when the config module is loaded, defaults otherwise (tests). */
export function bankHttpSettingsFrom(config?: ConnectorConfig): BankHttpSettings {
  if (!config?.bankHttp) return DEFAULT_BANK_HTTP_SETTINGS;
  return { timeoutMs: config.bankHttp.timeoutMs, caBundlePem: config.bankHttp.caBundlePem };
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
    options: { metrics?: Type<BankHttpMetrics>; settings?: BankHttpSettings } = {},
  ): DynamicModule {
    return {
      module: BankHttpModule,
      global: true,
      providers: [
        options.settings
          ? { provide: BankHttpSettings, useValue: options.settings }
          : SETTINGS_FROM_CONFIG,
        { provide: BankHttpMetrics, useClass: options.metrics ?? NoopBankHttpMetrics },
        BankHttpClient,
      ],
      exports: [BankHttpClient, BankHttpSettings, BankHttpMetrics],
    };
  }
}
