import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { ConnectorConfig } from '@obc/config';
import { BankHttpClient } from './bank-http.client';
import { BankHttpSettings, DEFAULT_BANK_HTTP_SETTINGS } from './bank-http.settings';

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
  providers: [SETTINGS_FROM_CONFIG, BankHttpClient],
  exports: [BankHttpClient, BankHttpSettings],
})
export class BankHttpModule {
  /** For tests or embedders that bind the settings themselves. */
  static withSettings(settings: BankHttpSettings): DynamicModule {
    return {
      module: BankHttpModule,
      global: true,
      providers: [{ provide: BankHttpSettings, useValue: settings }, BankHttpClient],
      exports: [BankHttpClient, BankHttpSettings],
    };
  }
}
