import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthContextService, ConsentAuthorisationRegistry } from '@obc/auth-contexts';
import { BankRegistrationModule } from '@obc/bank-registration';
import { ConsentTokenService } from '@obc/token-management';
import {
  AUTH_CONTEXTS,
  CONSENT_AUTHORISATION_REGISTRY,
  CONSENT_TOKENS,
  Sleeper,
  TimerSleeper,
} from './account-access.ports';
import { AccountAccessAuthorisationTargetRegistrar } from './consents/account-access-authorisation.target';
import { AccountAccessConsentBankClient } from './consents/account-access-consent-bank.client';
import { AccountAccessConsentEntity } from './consents/account-access-consent.entity';
import { AccountAccessConsentRepository } from './consents/account-access-consent.repository';
import { AccountAccessConsentService } from './consents/account-access-consent.service';
import { AccountAccessConsentsController } from './consents/account-access-consents.controller';
import { AispReadFastRoute } from './reads/aisp-read.fast-route';
import { AispReadService } from './reads/aisp-read.service';
import { AispReadsController } from './reads/aisp-reads.controller';

/**
 * AISP: account-access consents (/v1/aisp/account-access-consents) and account reads
 * (/v1/aisp/...). Needs the global config, persistence, bank-profiles, bank-http,
 * token-management and auth-contexts modules; the ports bind their providers here.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AccountAccessConsentEntity]), BankRegistrationModule],
  controllers: [AccountAccessConsentsController, AispReadsController],
  providers: [
    { provide: CONSENT_TOKENS, useExisting: ConsentTokenService },
    { provide: AUTH_CONTEXTS, useExisting: AuthContextService },
    { provide: CONSENT_AUTHORISATION_REGISTRY, useExisting: ConsentAuthorisationRegistry },
    { provide: Sleeper, useClass: TimerSleeper },
    AccountAccessConsentRepository,
    AccountAccessConsentBankClient,
    AccountAccessConsentService,
    AccountAccessAuthorisationTargetRegistrar,
    AispReadService,
    AispReadFastRoute,
  ],
  exports: [AispReadFastRoute],
})
export class AccountAccessModule {}
