import { DomainError } from '@obc/common';
import type { BankProfile } from '@obc/bank-profiles';

/** The bank's Account and Transaction API base URL (no trailing slash), or 501. */
export function accountApiBaseUrl(profile: BankProfile): string {
  const baseUrl = profile.apis.accountAndTransaction?.baseUrl;
  if (!baseUrl) {
    throw new DomainError(
      'bank/unsupported-endpoint',
      'not-implemented',
      'The bank does not offer this API',
      {
        detail: `Bank profile '${profile.id}' has no Account and Transaction API${
          profile.apis.accountAndTransaction ? ' base URL configured' : ''
        }.`,
      },
    );
  }
  return baseUrl.replace(/\/+$/, '');
}

export function unsupportedEndpointError(profileId: string, endpoint: string): DomainError {
  return new DomainError(
    'bank/unsupported-endpoint',
    'not-implemented',
    'The bank does not offer this endpoint',
    { detail: `Bank profile '${profileId}' does not support ${endpoint}.` },
  );
}
