import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { BANK_PROFILE_REGISTRY, BankProfileRegistry } from '@obc/bank-profiles';
import { ClientContextFactory } from '@obc/bank-registration';
import {
  ACCOUNT_ACCESS_CONSENT_TYPE,
  AccountAccessAuthorisationTarget,
  CONSENT_AUTHORISATION_REGISTRY,
  ConsentAuthorisationRegistryPort,
} from '../account-access.ports';
import { AccountAccessConsentService } from './account-access-consent.service';

/** Tells auth-contexts how to authorise an account-access consent. */
@Injectable()
export class AccountAccessAuthorisationTargetRegistrar implements OnModuleInit {
  constructor(
    @Inject(CONSENT_AUTHORISATION_REGISTRY)
    private readonly registry: ConsentAuthorisationRegistryPort,
    private readonly consents: AccountAccessConsentService,
    private readonly clients: ClientContextFactory,
    @Inject(BANK_PROFILE_REGISTRY) private readonly profiles: BankProfileRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.target());
  }

  target(): AccountAccessAuthorisationTarget {
    return {
      consentType: ACCOUNT_ACCESS_CONSENT_TYPE,
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
