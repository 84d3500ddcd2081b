import { createHash } from 'node:crypto';
import { DomainError } from '@obc/common';
import type { BankProfile } from '@obc/bank-profiles';
import { OB_ACCOUNT_PERMISSIONS } from './ob-permissions';

/** OBReadConsent1 as this lib handles it once validated (open Risk object). */
export interface ObReadConsent {
  Data: {
    Permissions: string[];
    ExpirationDateTime?: string;
    TransactionFromDateTime?: string;
    TransactionToDateTime?: string;
  };
  Risk: Record<string, unknown>;
}

export type ConsentTemplateType = 'MaximumPermissions';

/** A create request, built field by field from the body. */
export interface CreateAccountAccessConsent {
  bankRegistrationId: string;
  templateRequest: { type: ConsentTemplateType } | null;
  externalApiRequest: ObReadConsent | null;
  externalApiUserId: string | null;
  reference: string | null;
  createdBy: string | null;
}

/** Exactly one of templateRequest and externalApiRequest says what to ask the bank for. */
export function assertExactlyOneOf(request: CreateAccountAccessConsent): void {
  const given =
    Number(request.templateRequest !== null) + Number(request.externalApiRequest !== null);
  if (given !== 1) {
    throw new DomainError(
      'account-access-consent/request-ambiguous',
      'validation',
      'Give exactly one of templateRequest and externalApiRequest',
      {
        detail:
          given === 0
            ? 'Neither templateRequest nor externalApiRequest was given: say what the consent asks for.'
            : 'Both templateRequest and externalApiRequest were given: send one of them.',
        errors: [
          {
            field: 'templateRequest',
            message: 'exactly one of templateRequest and externalApiRequest is required',
          },
        ],
      },
    );
  }
}

/**
 * The MaximumPermissions template: every v4.0 permission the bank supports (its profile's
 * `quirks.accountAccess.unsupportedPermissions` removed). ExpirationDateTime is omitted: the
 * consent is open-ended as far as the connector is concerned and the bank applies its own
 * maximum; a caller who wants an expiry sends an explicit externalApiRequest.
 */
export function maximumPermissionsRequest(profile: BankProfile): ObReadConsent {
  const unsupported = new Set(profile.quirks.accountAccess.unsupportedPermissions);
  return {
    Data: { Permissions: OB_ACCOUNT_PERMISSIONS.filter((p) => !unsupported.has(p)) },
    Risk: {},
  };
}

/**
 * What is sent to the bank. An explicit externalApiRequest is sent as given (the caller chose
 * its permissions; pruning would silently change them): only the template is pruned.
 */
export function bankConsentRequest(
  request: CreateAccountAccessConsent,
  profile: BankProfile,
): ObReadConsent {
  assertExactlyOneOf(request);
  return request.externalApiRequest ?? maximumPermissionsRequest(profile);
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

/** SHA-256 of the request in canonical form (keys sorted, absent and null alike). */
export function requestHash(request: CreateAccountAccessConsent): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(request)))
    .digest('hex');
}
