import { assertConfigured, type BankProfile } from '@obc/bank-profiles';
import type { ClientContext, DiscoveryRequest } from '@obc/token-management';

/** The discovery request for a consent's bank: over the registration's transport and trust. */
export function discoveryRequestFor(profile: BankProfile, client: ClientContext): DiscoveryRequest {
  assertConfigured(profile);
  return {
    profileId: profile.id,
    issuerUrl: profile.issuerUrl,
    wellKnownUrl: profile.wellKnownUrl,
    trustedCaPem: client.trustedCaPem,
    transport: client.transport,
    metadataOverrides: profile.discovery.metadataOverrides,
    acceptIssuerMismatch: profile.discovery.acceptIssuerMismatch,
    mode: profile.discovery.mode,
    jwksUriOptional: profile.quirks.authorisation.protocol === 'oauth2',
  };
}
