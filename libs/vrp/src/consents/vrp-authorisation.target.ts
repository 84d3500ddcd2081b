import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConsentAuthorisationRegistry, ConsentAuthorisationTarget } from '@obc/auth-contexts';
import { BANK_PROFILE_REGISTRY, BankProfileRegistry } from '@obc/bank-profiles';
import { ClientContextFactory } from '@obc/bank-registration';
import { DOMESTIC_VRP_CONSENT_TYPE } from '../vrp.ports';
import { DomesticVrpConsentService } from './domestic-vrp-consent.service';

/** Tells auth-contexts how to authorise a domestic VRP consent. */
@Injectable()
export class VrpAuthorisationTargetRegistrar implements OnModuleInit {
  constructor(
    private readonly registry: ConsentAuthorisationRegistry,
    private readonly consents: DomesticVrpConsentService,
    private readonly clients: ClientContextFactory,
    @Inject(BANK_PROFILE_REGISTRY) private readonly profiles: BankProfileRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.target());
  }

  target(): ConsentAuthorisationTarget {
    return {
      consentType: DOMESTIC_VRP_CONSENT_TYPE,
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
