import type { IncomingMessage } from 'node:http';
import type { Provider } from 'oidc-provider';
import { bearerToken } from '../http/bearer-token';
import {
  certificateThumbprint,
  isMtlsAuthorized,
  peerCertificate,
} from '../tls/client-certificate';

export type ClientTokenCheck = { ok: true } | { ok: false; status: 401 | 403; description: string };

/**
 * /register/{clientId} is protected by a client-credentials access token of that same client,
 * presented over mTLS with the certificate the token is bound to (RFC 8705).
 */
export async function checkClientToken(
  provider: Provider,
  req: IncomingMessage,
  clientId: string,
): Promise<ClientTokenCheck> {
  const cert = peerCertificate(req);
  if (!isMtlsAuthorized(req) || !cert)
    return {
      ok: false,
      status: 401,
      description: 'a client certificate issued by the test CA is required',
    };
  const value = bearerToken(req);
  const token = value ? await provider.ClientCredentials.find(value) : undefined;
  if (!token || (token.exp !== undefined && token.exp * 1000 <= Date.now())) {
    return {
      ok: false,
      status: 401,
      description: 'a valid client-credentials access token is required',
    };
  }
  if (token['x5t#S256'] !== certificateThumbprint(cert)) {
    return {
      ok: false,
      status: 401,
      description: 'the access token is bound to another certificate',
    };
  }
  if (token.clientId !== clientId)
    return { ok: false, status: 403, description: 'the access token belongs to another client' };
  // A deleted client's tokens must stop working at once, not when they expire.
  if (!(await provider.Client.adapter.find(clientId)))
    return { ok: false, status: 401, description: 'the client no longer exists' };
  return { ok: true };
}
