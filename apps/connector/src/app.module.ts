import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AccountAccessModule } from '@obc/account-access';
import { AuthContextsModule } from '@obc/auth-contexts';
import { BankCallPolicySource, BankHttpModule } from '@obc/bank-http';
import { BANK_PROFILE_REGISTRY, BankProfileRegistry, BankProfilesModule } from '@obc/bank-profiles';
import { BankRegistrationModule } from '@obc/bank-registration';
import { CommonModule } from '@obc/common';
import { ConnectorConfig, ConnectorConfigModule } from '@obc/config';
import { FapiModule } from '@obc/fapi';
import { HttpApiModule } from '@obc/http-api';
import {
  ObservabilityModule,
  PrometheusBankHttpMetrics,
  PrometheusTokenMetrics,
} from '@obc/observability';
import { PaymentInitiationModule } from '@obc/payment-initiation';
import { PersistenceModule, RetentionModule } from '@obc/persistence';
import { TokenManagementModule } from '@obc/token-management';
import { VrpModule } from '@obc/vrp';
import { loggerOptions } from './logging';
import { connectorMigrations } from './migrations';

export interface AppModuleOptions {
  /** The environment to configure from; defaults to process.env (tests pass their own). */
  env?: Record<string, string | undefined>;
}

/** Per-bank call policy overrides: each bank profile's `callPolicy`. */
export function profileCallPolicies(registry: BankProfileRegistry): BankCallPolicySource {
  return {
    overridesFor: (profileId) =>
      registry.has(profileId) ? registry.get(profileId).callPolicy : undefined,
  };
}

/** Wires the libs into the connector service. Nothing of substance lives here. */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CommonModule,
        ConnectorConfigModule.forRoot({ env: options.env }),
        LoggerModule.forRootAsync({ inject: [ConnectorConfig], useFactory: loggerOptions }),
        PersistenceModule.forRoot({ migrations: connectorMigrations }),
        RetentionModule,
        BankProfilesModule,
        ObservabilityModule.forRoot(),
        BankHttpModule.forRoot({
          metrics: PrometheusBankHttpMetrics,
          policies: { inject: [BANK_PROFILE_REGISTRY], useFactory: profileCallPolicies },
        }),
        FapiModule,
        TokenManagementModule.withMetrics(PrometheusTokenMetrics),
        HttpApiModule,
        BankRegistrationModule,
        AccountAccessModule,
        AuthContextsModule,
        PaymentInitiationModule,
        VrpModule,
      ],
    };
  }
}
