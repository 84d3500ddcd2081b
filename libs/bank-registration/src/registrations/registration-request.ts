import { createHash } from 'node:crypto';
import type { SecretRef } from '@obc/config';

/** A request to create a bank registration, as the service receives it. */
export interface CreateBankRegistration {
  bankProfile: string;
  softwareStatementId: string;
  scopes: string[] | null;
  redirectUris: string[] | null;
  defaultRedirectUri: string | null;
  externalApiId: string | null;
  externalApiSecret: SecretRef | null;
  registrationAccessToken: SecretRef | null;
  reference: string | null;
  createdBy: string;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined && v !== null)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/**
 * SHA-256 of the request in canonical form (keys sorted, absent and null alike), so the same
 * body sent twice with one Idempotency-Key hashes the same whatever its key order.
 */
export function requestHash(request: CreateBankRegistration): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(request)))
    .digest('hex');
}
