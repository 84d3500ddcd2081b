import { Global, Module, Provider } from '@nestjs/common';
import { BankHttpClient } from './bank-http.client';
import { BankHttpSettings, DEFAULT_BANK_HTTP_SETTINGS } from './bank-http.settings';

/**
 * Global: the one outbound HTTP client. `BankHttpSettings` defaults to 30 s and Node's CAs;
 * the app binds it to configuration with `BankHttpModule.forRoot({ provide: BankHttpSettings,
 * useFactory: (c: ConnectorConfig) => c.bankHttp, inject: [ConnectorConfig] })`.
 */
@Global()
@Module({
  providers: [{ provide: BankHttpSettings, useValue: DEFAULT_BANK_HTTP_SETTINGS }, BankHttpClient],
  exports: [BankHttpClient, BankHttpSettings],
})
export class BankHttpModule {
  static forRoot(settings: Provider<BankHttpSettings>): { module: typeof BankHttpModule; global: true; providers: Provider[]; exports: unknown[] } {
    return {
      module: BankHttpModule,
      global: true,
      providers: [settings, BankHttpClient],
      exports: [BankHttpClient, BankHttpSettings],
    };
  }
}
