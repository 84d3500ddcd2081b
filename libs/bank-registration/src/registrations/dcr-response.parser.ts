import { DomainError } from '@obc/common';
import type { RegistrationBehaviour } from '@obc/bank-profiles';

export interface ParsedRegistration {
  clientId: string;
  clientSecret: string | null;
  registrationAccessToken: string | null;
  /** Seconds, whatever unit the bank used. */
  clientIdIssuedAt: number | null;
  tokenEndpointAuthMethod: string | null;
  scopes: string[] | null;
  /** The response as the bank sent it, without client_secret, registration_access_token and software_statement. */
  stored: Record<string, unknown>;
}

/**
 * Members that are credentials: kept encrypted in their own columns (the SSA with its software
 * statement), never in the stored or returned response.
 */
export const SECRET_RESPONSE_MEMBERS = [
  'client_secret',
  'registration_access_token',
  'software_statement',
] as const;

function optionalString(body: Record<string, unknown>, member: string): string | null {
  const value = body[member];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function scopesOf(value: unknown): string[] | null {
  if (typeof value === 'string') return value.split(/\s+/).filter((s) => s.length > 0);
  if (Array.isArray(value) && value.every((s) => typeof s === 'string')) return value as string[];
  return null;
}

/**
 * Reads a DCR response (POST or GET /register). Some banks send client_id_issued_at in
 * milliseconds (profile `clientIdIssuedAtUnit`); it is stored in seconds as the standard says.
 */
export function parseDcrResponse(
  data: unknown,
  registration: Pick<RegistrationBehaviour, 'clientIdIssuedAtUnit'>,
): ParsedRegistration {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw invalidResponse('The registration response is not a JSON object.');
  }
  const body = data as Record<string, unknown>;
  const clientId = optionalString(body, 'client_id');
  if (!clientId) throw invalidResponse('The registration response has no client_id.');

  const stored: Record<string, unknown> = {};
  for (const [member, value] of Object.entries(body)) {
    if (!(SECRET_RESPONSE_MEMBERS as readonly string[]).includes(member)) stored[member] = value;
  }
  let clientIdIssuedAt: number | null = null;
  if (typeof body.client_id_issued_at === 'number' && Number.isFinite(body.client_id_issued_at)) {
    clientIdIssuedAt =
      registration.clientIdIssuedAtUnit === 'milliseconds'
        ? Math.floor(body.client_id_issued_at / 1000)
        : body.client_id_issued_at;
    stored.client_id_issued_at = clientIdIssuedAt;
  }
  return {
    clientId,
    clientSecret: optionalString(body, 'client_secret'),
    registrationAccessToken: optionalString(body, 'registration_access_token'),
    clientIdIssuedAt,
    tokenEndpointAuthMethod: optionalString(body, 'token_endpoint_auth_method'),
    scopes: scopesOf(body.scope),
    stored,
  };
}

function invalidResponse(detail: string): DomainError {
  return new DomainError(
    'bank-registration/invalid-response',
    'bank-failure',
    'The bank returned an unusable registration',
    { detail },
  );
}
