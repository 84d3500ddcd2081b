import { DynamicModule, Global, Module, Provider, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConnectorConfig } from '@obc/config';
import { ClientAuthenticator } from './client-authentication';
import { ConsentTokenEntity } from './consent-tokens/consent-token.entity';
import { ConsentTokenRepository } from './consent-tokens/consent-token.repository';
import { ConsentTokenService } from './consent-tokens/consent-token.service';
import { DiscoveryService } from './discovery.service';
import { TokenManagementSettings, tokenManagementSettingsFrom } from './token-management.settings';
import { NoopTokenMetrics, TokenMetrics } from './token-metrics';
import { TokenService } from './token.service';

/**
 * Global: discovery and bank tokens. Needs BankHttpModule, FapiModule and PersistenceModule
 * (all global; the consent tokens live in the database).
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
  ConsentTokenRepository,
  ConsentTokenService,
];
const exported = [
  DiscoveryService,
  TokenService,
  ConsentTokenService,
  TokenManagementSettings,
  TokenMetrics,
];
const imports = [TypeOrmModule.forFeature([ConsentTokenEntity])];

@Global()
@Module({ imports, providers: providers(NoopTokenMetrics), exports: exported })
export class TokenManagementModule {
  /** With a real metrics implementation (e.g. Prometheus counters). */
  static withMetrics(metrics: Type<TokenMetrics>): DynamicModule {
    return {
      module: TokenManagementModule,
      global: true,
      imports,
      providers: providers(metrics),
      exports: exported,
    };
  }
}
