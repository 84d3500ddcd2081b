import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { Provider } from 'oidc-provider';
import { bearerToken } from '../http/bearer-token';
import {
  certificateThumbprint,
  isMtlsAuthorized,
  peerCertificate,
} from '../tls/client-certificate';

/** The claim, kept in the access token's `extra`, that ties a token to its consent (intent). */
export const INTENT_ID_CLAIM = 'openbanking_intent_id';

export interface VerifiedAccessToken {
  clientId: string;
  scopes: string[];
  grantType: 'client_credentials' | 'authorization_code';
  /** The consent (intent) the PSU authorised; only for authorization_code (and refreshed) tokens. */
  consentId?: string;
  /** Epoch seconds. */
  expiresAt: number;
}

/** An OBErrorResponse1 body. */
export interface ObErrorBody {
  Code: string;
  Id: string;
  Message: string;
  Errors: { ErrorCode: string; Message: string; Path?: string }[];
}

/** Thrown by AccessTokenVerifier; the resource server sends `status` and `body` as they are. */
export class AccessTokenError extends Error {
  readonly status = 401;
  readonly body: ObErrorBody;
  /** For the WWW-Authenticate header (RFC 6750). */
  readonly wwwAuthenticate: string;

  constructor(message: string) {
    super(message);
    this.name = 'AccessTokenError';
    this.wwwAuthenticate = `Bearer error="invalid_token", error_description="${message}"`;
    this.body = {
      Code: '401',
      Id: randomUUID(),
      Message: 'Unauthorized',
      Errors: [{ ErrorCode: 'UK.OBIE.Header.Invalid', Message: message, Path: 'Authorization' }],
    };
  }
}

/**
 * Checks a resource request's bearer token against oidc-provider's token store: it must exist,
 * not be expired, and be bound (RFC 8705 `x5t#S256`) to the client certificate on this connection.
 */
export class AccessTokenVerifier {
  constructor(private readonly provider: Provider) {}

  async verify(req: Request): Promise<VerifiedAccessToken> {
    const value = bearerToken(req);
    if (!value) throw new AccessTokenError('a bearer access token is required');
    const now = Math.floor(Date.now() / 1000);

    const accessToken = await this.provider.AccessToken.find(value);
    const token = accessToken ?? (await this.provider.ClientCredentials.find(value));
    if (!token) throw new AccessTokenError('the access token is unknown, expired or revoked');
    if (token.exp === undefined || token.exp <= now)
      throw new AccessTokenError('the access token has expired');
    this.checkBinding(req, token['x5t#S256']);

    const scopes = (token.scope ?? '').split(' ').filter((s) => s.length > 0);
    if (!accessToken)
      return {
        clientId: token.clientId,
        scopes,
        grantType: 'client_credentials',
        expiresAt: token.exp,
      };
    const intent = accessToken.extra?.[INTENT_ID_CLAIM];
    return {
      clientId: accessToken.clientId,
      scopes,
      grantType: 'authorization_code',
      consentId: typeof intent === 'string' ? intent : accessToken.accountId,
      expiresAt: token.exp,
    };
  }

  private checkBinding(req: Request, boundThumbprint: string | undefined): void {
    if (!boundThumbprint)
      throw new AccessTokenError('the access token is not bound to a client certificate');
    const cert = peerCertificate(req);
    if (!cert || !isMtlsAuthorized(req))
      throw new AccessTokenError('a client certificate issued by a trusted CA is required');
    if (certificateThumbprint(cert) !== boundThumbprint)
      throw new AccessTokenError('the access token is bound to a different client certificate');
  }
}
