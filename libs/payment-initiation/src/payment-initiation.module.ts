import { Sleeper, TimerSleeper } from '@obc/common';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthContextService, ConsentAuthorisationRegistry } from '@obc/auth-contexts';
import { BankRegistrationModule } from '@obc/bank-registration';
import { IdempotencyModule } from '@obc/persistence';
import { ConsentTokenService } from '@obc/token-management';
import { PispBankClient } from './bank/pisp-bank.client';
import { DomesticPaymentAuthorisationTargetRegistrar } from './consents/domestic-payment-authorisation.target';
import { DomesticPaymentConsentEntity } from './consents/domestic-payment-consent.entity';
import { DomesticPaymentConsentRepository } from './consents/domestic-payment-consent.repository';
import { DomesticPaymentConsentService } from './consents/domestic-payment-consent.service';
import { DomesticPaymentConsentsController } from './consents/domestic-payment-consents.controller';
import {
  PAYMENT_AUTH_CONTEXTS,
  PAYMENT_AUTHORISATION_REGISTRY,
  PAYMENT_CONSENT_TOKENS,
} from './payment-initiation.ports';
import { DomesticPaymentEntity } from './payments/domestic-payment.entity';
import { DomesticPaymentRepository } from './payments/domestic-payment.repository';
import { DomesticPaymentService } from './payments/domestic-payment.service';
import { DomesticPaymentsController } from './payments/domestic-payments.controller';

/**
 * PISP: domestic payment consents (/v1/pisp/domestic-payment-consents) and domestic payments
 * (/v1/pisp/domestic-payments). Needs the global config, persistence, bank-profiles, bank-http,
 * fapi, token-management and auth-contexts modules; the ports bind their providers here.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([DomesticPaymentConsentEntity, DomesticPaymentEntity]),
    BankRegistrationModule,
    IdempotencyModule,
  ],
  controllers: [DomesticPaymentConsentsController, DomesticPaymentsController],
  providers: [
    { provide: PAYMENT_CONSENT_TOKENS, useExisting: ConsentTokenService },
    { provide: PAYMENT_AUTH_CONTEXTS, useExisting: AuthContextService },
    { provide: PAYMENT_AUTHORISATION_REGISTRY, useExisting: ConsentAuthorisationRegistry },
    PispBankClient,
    { provide: Sleeper, useClass: TimerSleeper },
    DomesticPaymentConsentRepository,
    DomesticPaymentConsentService,
    DomesticPaymentAuthorisationTargetRegistrar,
    DomesticPaymentRepository,
    DomesticPaymentService,
  ],
})
export class PaymentInitiationModule {}
