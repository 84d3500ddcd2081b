import { DomainError } from '@obc/common';
import type { BankProfile } from '@obc/bank-profiles';

/** The bank's Payment Initiation API base URL (no trailing slash), or 501. */
export function paymentApiBaseUrl(profile: BankProfile): string {
  const baseUrl = profile.apis.paymentInitiation?.baseUrl;
  if (!baseUrl) {
    throw new DomainError(
      'bank/unsupported-endpoint',
      'not-implemented',
      'The bank does not offer this API',
      { detail: `Bank profile '${profile.id}' has no Payment Initiation API base URL configured.` },
    );
  }
  return baseUrl.replace(/\/+$/, '');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
