import { Sleeper, TimerSleeper } from '@obc/common';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BankRegistrationModule } from '@obc/bank-registration';
import { IdempotencyModule } from '@obc/persistence';
import { VrpBankClient } from './common/vrp-bank.client';
import { DomesticVrpConsentRepository, DomesticVrpRepository } from './common/vrp.repositories';
import { DomesticVrpConsentEntity } from './consents/domestic-vrp-consent.entity';
import { DomesticVrpConsentService } from './consents/domestic-vrp-consent.service';
import { DomesticVrpConsentsController } from './consents/domestic-vrp-consents.controller';
import { VrpAuthorisationTargetRegistrar } from './consents/vrp-authorisation.target';
import { DomesticVrpEntity } from './payments/domestic-vrp.entity';
import { DomesticVrpService } from './payments/domestic-vrp.service';
import { DomesticVrpsController } from './payments/domestic-vrps.controller';

/**
 * VRP: domestic VRP consents (/v1/vrp/domestic-vrp-consents) and payments under them
 * (/v1/vrp/domestic-vrps). Needs the global config, persistence, bank-profiles, bank-http, fapi,
 * token-management and auth-contexts modules.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([DomesticVrpConsentEntity, DomesticVrpEntity]),
    BankRegistrationModule,
    IdempotencyModule,
  ],
  controllers: [DomesticVrpConsentsController, DomesticVrpsController],
  providers: [
    DomesticVrpConsentRepository,
    DomesticVrpRepository,
    VrpBankClient,
    { provide: Sleeper, useClass: TimerSleeper },
    DomesticVrpConsentService,
    DomesticVrpService,
    VrpAuthorisationTargetRegistrar,
  ],
})
export class VrpModule {}
