import type { RegistrationBehaviour } from '@obc/bank-profiles';
import { DomainError } from '@obc/common';

/** The OB scope of each API a client can be registered for. */
const API_SCOPES: Readonly<Record<string, string>> = {
  accounts: 'Account and Transaction (AIS)',
  payments: 'Payment Initiation and VRP (PIS)',
  fundsconfirmations: 'Confirmation of Funds (CBPII)',
};

/**
 * The scopes a new registration asks for: the caller's, or the profile's defaultScopes. For a
 * bank that wants one client per API (profile `registration.separateClientsPerApi`) the scopes
 * may name one API only: the caller's mix is refused, and the default keeps the first API
 * scope of defaultScopes (a second registration with the other scope serves the other API).
 */
export function registrationScopes(
  requested: string[] | undefined,
  registration: Pick<RegistrationBehaviour, 'defaultScopes' | 'separateClientsPerApi'>,
  profileId: string,
): string[] {
  if (!registration.separateClientsPerApi) return [...(requested ?? registration.defaultScopes)];
  if (requested !== undefined) {
    const apis = requested.filter((scope) => scope in API_SCOPES);
    if (apis.length > 1) {
      throw new DomainError(
        'bank-registration/scopes-span-apis',
        'validation',
        'This bank registers one client per API',
        {
          detail: `Bank profile '${profileId}' wants a separate client for each API, but the scopes name ${apis.map((s) => `'${s}' (${API_SCOPES[s]})`).join(' and ')}. Create one bank registration per API, e.g. scopes ['openid', '${apis[0]}'] and ['openid', '${apis[1]}'].`,
          errors: [{ field: 'scopes', message: 'must name the scope of one API only' }],
        },
      );
    }
    return [...requested];
  }
  const first = registration.defaultScopes.find((scope) => scope in API_SCOPES);
  return registration.defaultScopes.filter((scope) => !(scope in API_SCOPES) || scope === first);
}
