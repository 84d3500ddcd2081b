import { DynamicModule, Global, Module, Provider, Type } from '@nestjs/common';
import { ConnectorConfig } from '@obc/config';
import { ClientAuthenticator } from './client-authentication';
import { DiscoveryService } from './discovery.service';
import { TokenManagementSettings, tokenManagementSettingsFrom } from './token-management.settings';
import { NoopTokenMetrics, TokenMetrics } from './token-metrics';
import { TokenService } from './token.service';

/**
 * Global: discovery and bank tokens. Needs BankHttpModule and FapiModule (both global).
 * Settings come from ConnectorConfig when the config module is loaded, defaults otherwise;
 * TokenMetrics is a no-op until the metrics module overrides it.
 */
const providers = (metrics: Type<TokenMetrics>): Provider[] => [
  {
    provide: TokenManagementSettings,
    useFactory: (config?: ConnectorConfig) => tokenManagementSettingsFrom(config),
    inject: [{ token: ConnectorConfig, optional: true }],
  },
  { provide: TokenMetrics, useClass: metrics },
  ClientAuthenticator,
  DiscoveryService,
  TokenService,
];
const exported = [DiscoveryService, TokenService, TokenManagementSettings, TokenMetrics];

@Global()
@Module({ providers: providers(NoopTokenMetrics), exports: exported })
export class TokenManagementModule {
  /** With a real metrics implementation (e.g. Prometheus counters). */
  static withMetrics(metrics: Type<TokenMetrics>): DynamicModule {
    return {
      module: TokenManagementModule,
      global: true,
      providers: providers(metrics),
      exports: exported,
    };
  }
}
