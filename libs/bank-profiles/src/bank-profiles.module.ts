import { Global, Logger, Module } from '@nestjs/common';
import { ConnectorConfig } from '@obc/config';
import { BankProfileQueryService } from './bank-profile-query.service';
import { loadBankProfiles } from './bank-profile-loader';
import {
  BANK_PROFILE_REGISTRY,
  BankProfileRegistry,
  InMemoryBankProfileRegistry,
} from './bank-profile.registry';
import { BANK_PROFILES_CONFIG, BankProfilesConfig } from './bank-profiles.config';
import { BankProfilesController } from './bank-profiles.controller';

/** The slice of the connector's configuration this lib reads. */
export function bankProfilesConfigFrom(config: ConnectorConfig): BankProfilesConfig {
  return {
    builtinDir: config.bankProfiles.dir,
    extraDir: config.bankProfiles.extraDir,
    overrides: { ...config.bankProfiles.overrides },
  };
}

/**
 * Loads every profile once, in a factory provider: an invalid profile throws
 * BankProfileLoadError while the application is created, so start-up stops with its message.
 * Tests may replace BANK_PROFILES_CONFIG with `overrideProvider(...).useValue(...)`.
 */
@Global()
@Module({
  controllers: [BankProfilesController],
  providers: [
    {
      provide: BANK_PROFILES_CONFIG,
      useFactory: bankProfilesConfigFrom,
      inject: [ConnectorConfig],
    },
    {
      provide: BANK_PROFILE_REGISTRY,
      useFactory: (config: BankProfilesConfig): BankProfileRegistry =>
        new InMemoryBankProfileRegistry(loadBankProfiles(config, new Logger('BankProfiles'))),
      inject: [BANK_PROFILES_CONFIG],
    },
    BankProfileQueryService,
  ],
  exports: [BANK_PROFILE_REGISTRY],
})
export class BankProfilesModule {}
