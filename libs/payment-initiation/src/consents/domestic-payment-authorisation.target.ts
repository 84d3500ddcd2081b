import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { BANK_PROFILE_REGISTRY, BankProfileRegistry } from '@obc/bank-profiles';
import { ClientContextFactory } from '@obc/bank-registration';
import {
  DOMESTIC_PAYMENT_CONSENT_TYPE,
  DomesticPaymentAuthorisationTarget,
  PAYMENT_AUTHORISATION_REGISTRY,
  PaymentAuthorisationRegistryPort,
} from '../payment-initiation.ports';
import { DomesticPaymentConsentService } from './domestic-payment-consent.service';

/** Tells auth-contexts how to authorise a domestic payment consent. */
@Injectable()
export class DomesticPaymentAuthorisationTargetRegistrar implements OnModuleInit {
  constructor(
    @Inject(PAYMENT_AUTHORISATION_REGISTRY)
    private readonly registry: PaymentAuthorisationRegistryPort,
    private readonly consents: DomesticPaymentConsentService,
    private readonly clients: ClientContextFactory,
    @Inject(BANK_PROFILE_REGISTRY) private readonly profiles: BankProfileRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.target());
  }

  target(): DomesticPaymentAuthorisationTarget {
    return {
      consentType: DOMESTIC_PAYMENT_CONSENT_TYPE,
      describe: async (consentId) => {
        const row = await this.consents.find(consentId);
        const details = await this.clients.details(row.bankRegistrationId);
        const client = await this.clients.forRegistration(row.bankRegistrationId);
        return {
          client,
          profile: this.profiles.get(details.bankProfile),
          intentId: row.externalApiId,
          redirectUris: details.redirectUris,
          defaultRedirectUri: details.defaultRedirectUri,
          status: row.status,
        };
      },
      onAuthorised: (consentId) => this.consents.markAuthorised(consentId),
    };
  }
}
