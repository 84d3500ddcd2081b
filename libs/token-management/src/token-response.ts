import { DomainError } from '@obc/common';

/** A usable token response: the token and its lifetime (when the bank gave one). */
export interface TokenGrant {
  accessToken: string;
  expiresInSeconds?: number;
  scope?: string;
  refreshToken?: string;
  idToken?: string;
}

/**
 * Validates a token endpoint answer. Error messages name the problem, never the values: the
 * body holds the token itself.
 */
export function parseTokenResponse(data: unknown, profileId: string): TokenGrant {
  const fail = (why: string): DomainError =>
    new DomainError(
      'token/invalid-response',
      'bank-failure',
      "The bank's token response is not usable",
      {
        detail: `The token endpoint of bank profile '${profileId}' answered without a usable token: ${why}.`,
      },
    );
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw fail('the body is not a JSON object');
  const body = data as Record<string, unknown>;
  if (typeof body.access_token !== 'string' || body.access_token.length === 0)
    throw fail('access_token is missing');
  if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') {
    throw fail('token_type is not Bearer');
  }
  const grant: TokenGrant = { accessToken: body.access_token };
  // Some banks send expires_in as a numeric string.
  const expiresIn = typeof body.expires_in === 'string' ? Number(body.expires_in) : body.expires_in;
  if (typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0)
    grant.expiresInSeconds = expiresIn;
  if (typeof body.scope === 'string') grant.scope = body.scope;
  if (typeof body.refresh_token === 'string') grant.refreshToken = body.refresh_token;
  if (typeof body.id_token === 'string') grant.idToken = body.id_token;
  return grant;
}
