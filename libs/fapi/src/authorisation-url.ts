import { ensureOpenidScope } from './openid-scope';
import { PKCE_METHOD } from './pkce';
import { AuthorisationResponseMode, AuthorisationResponseType } from './request-object';

export interface AuthorisationUrlParams {
  clientId: string;
  /** The signed request object. */
  request: string;
  responseType: AuthorisationResponseType;
  scope: string;
  /**
   * The rest duplicate request-object claims in the query: OIDC requires some outside the
   * object and some banks want all of them (profile `quirks.authorisation.redundantQueryParams`).
   */
  redirectUri?: string;
  state?: string;
  nonce?: string;
  responseMode?: AuthorisationResponseMode;
  codeChallenge?: string;
}

/**
 * The URL the PSU's browser is sent to. Any query the bank's endpoint already carries is kept;
 * our parameters replace same-named ones.
 */
export function buildAuthorisationUrl(
  authorizationEndpoint: string,
  params: AuthorisationUrlParams,
): string {
  const url = new URL(authorizationEndpoint);
  const q = url.searchParams;
  q.set('client_id', params.clientId);
  q.set('response_type', params.responseType);
  q.set('scope', ensureOpenidScope(params.scope));
  q.set('request', params.request);
  if (params.redirectUri !== undefined) q.set('redirect_uri', params.redirectUri);
  if (params.state !== undefined) q.set('state', params.state);
  if (params.nonce !== undefined) q.set('nonce', params.nonce);
  if (params.responseMode !== undefined) q.set('response_mode', params.responseMode);
  if (params.codeChallenge !== undefined) {
    q.set('code_challenge', params.codeChallenge);
    q.set('code_challenge_method', PKCE_METHOD);
  }
  return url.toString();
}
