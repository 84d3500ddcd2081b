import { Inject, Injectable } from '@nestjs/common';
import {
  assertConfigured,
  BANK_PROFILE_REGISTRY,
  BankProfileRegistry,
  ConfiguredBankProfile,
} from '@obc/bank-profiles';
import type { BankTransport } from '@obc/bank-http';
import { DiscoveryService, OpenIdMetadata } from '@obc/token-management';
import {
  ObsealCertificateService,
  SigningKeyMaterial,
} from '../certificates/obseal-certificate.service';
import { ObwacCertificateService } from '../certificates/obwac-certificate.service';
import { BankTrust } from '../shared/bank-trust';
import { SoftwareStatementEntity } from '../software-statements/software-statement.entity';

/** Everything a call to one bank as one piece of software needs, keys resolved (never stored). */
export interface BankSession {
  profile: ConfiguredBankProfile;
  metadata: OpenIdMetadata;
  transport: BankTransport;
  signingKey: SigningKeyMaterial;
  trustedCaPem?: string;
}

/**
 * Assembles a BankSession from a profile id and a software statement: profile checked configured,
 * OBWAC transport and OBSeal key resolved, the profile's trust bundle read, discovery fetched.
 */
@Injectable()
export class BankSessionFactory {
  constructor(
    @Inject(BANK_PROFILE_REGISTRY) private readonly profiles: BankProfileRegistry,
    private readonly obwac: ObwacCertificateService,
    private readonly obseal: ObsealCertificateService,
    private readonly discovery: DiscoveryService,
    private readonly trust: BankTrust,
  ) {}

  /** The profile, checked configured (unknown id: the registry's error listing the known ids). */
  configuredProfile(profileId: string): ConfiguredBankProfile {
    const profile = this.profiles.get(profileId);
    assertConfigured(profile);
    return profile;
  }

  async open(profileId: string, statement: SoftwareStatementEntity): Promise<BankSession> {
    const profile = this.configuredProfile(profileId);
    const transport = await this.obwac.transportFor(
      await this.obwac.getReferenced(statement.obwacCertificateId),
    );
    const signingKey = await this.obseal.signingKeyFor(
      await this.obseal.getReferenced(statement.obsealCertificateId),
    );
    const trustedCaPem = await this.trust.trustedCaPemFor(profile);
    const metadata = await this.discovery.getMetadata({
      profileId: profile.id,
      issuerUrl: profile.issuerUrl,
      wellKnownUrl: profile.wellKnownUrl,
      trustedCaPem,
      transport,
      metadataOverrides: profile.discovery.metadataOverrides,
      acceptIssuerMismatch: profile.discovery.acceptIssuerMismatch,
      mode: profile.discovery.mode,
      jwksUriOptional: profile.quirks.authorisation.protocol === 'oauth2',
    });
    return { profile, metadata, transport, signingKey, trustedCaPem };
  }
}
