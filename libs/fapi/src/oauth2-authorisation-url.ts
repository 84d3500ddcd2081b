import { PKCE_METHOD } from './pkce';

/**
 * A plain OAuth 2 authorisation code request (RFC 6749 §4.1.1, PKCE per RFC 7636): profile
 * quirk `authorisation.protocol` 'oauth2', for banks that run no OpenID Connect (the
 * Co-operative Bank). No request object and no nonce: the consent travels as a parameter of its
 * own (`consentIdParameter`), and the bank sends no ID token.
 */
export interface OAuth2AuthorisationParams {
  clientId: string;
  redirectUri: string;
  /** Space-separated, without openid. */
  scope: string;
  state: string;
  /** PKCE S256 challenge, when the profile's bank takes PKCE. */
  codeChallenge?: string;
  /** Only when not the code flow's default (query). */
  responseMode?: 'query' | 'fragment';
  /** The fixed parameters the profile names (quirks.authorisation.extraParameters). */
  extraParameters?: Record<string, string>;
  /** The parameter naming the consent (quirks.authorisation.consentIdParameter) and its value. */
  consent: { parameter: string; id: string };
}

/**
 * The request's parameters, in the order finlabsuk/open-banking-connector's CreateAuthUrl writes
 * them for a bank without OpenID Connect: response_type, client_id, redirect_uri, scope, state,
 * PKCE, the profile's extra parameters, then the consent parameter.
 */
export function oauth2AuthorisationParameters(
  params: OAuth2AuthorisationParams,
): [string, string][] {
  const pairs: [string, string][] = [
    ['response_type', 'code'],
    ['client_id', params.clientId],
    ['redirect_uri', params.redirectUri],
    ['scope', params.scope],
    ['state', params.state],
  ];
  if (params.responseMode !== undefined) pairs.push(['response_mode', params.responseMode]);
  if (params.codeChallenge !== undefined)
    pairs.push(['code_challenge_method', PKCE_METHOD], ['code_challenge', params.codeChallenge]);
  const taken = new Set(pairs.map(([name]) => name));
  for (const [name, value] of Object.entries(params.extraParameters ?? {}))
    if (!taken.has(name) && name !== params.consent.parameter) pairs.push([name, value]);
  pairs.push([params.consent.parameter, params.consent.id]);
  return pairs;
}

/**
 * The URL the PSU's browser is sent to. `base64QueryParameter` (profile quirk of that name): the
 * whole query in that one parameter (see encodeQueryInOneParameter); otherwise a standard query.
 * Any query the bank's endpoint already carries is kept.
 */
export function buildOAuth2AuthorisationUrl(
  authorizationEndpoint: string,
  params: OAuth2AuthorisationParams,
  base64QueryParameter?: string,
): string {
  return withQuery(
    authorizationEndpoint,
    oauth2AuthorisationParameters(params),
    base64QueryParameter,
  );
}

/** The endpoint with these parameters: set one by one, or all in one base64url parameter. */
export function withQuery(
  endpoint: string,
  pairs: [string, string][],
  base64QueryParameter?: string,
): string {
  const url = new URL(endpoint);
  if (base64QueryParameter !== undefined)
    url.searchParams.set(base64QueryParameter, encodeQueryInOneParameter(pairs));
  else for (const [name, value] of pairs) url.searchParams.set(name, value);
  return url.toString();
}

/** Characters that would change how the query splits if written bare. */
const UNSAFE_IN_RAW_QUERY = /[&=#+%\s]/g;

/**
 * The query as the Co-operative Bank takes it (finlabsuk/open-banking-connector
 * CooperativeGenerator: DoNotUseUrlPathEncoding, SingleBase64EncodedParameterName "data"):
 * name=value pairs joined by '&', values written bare (so redirect_uri keeps its ':' and '/'),
 * scope words joined by '+', then base64url without padding. Only & = # + % and white space
 * inside a value are percent-encoded, so an unusual value still parses as itself (finlabs writes
 * those bare too; the values the connector sends never contain them but the scope's spaces).
 */
export function encodeQueryInOneParameter(pairs: [string, string][]): string {
  const query = pairs
    .map(([name, value]) =>
      name === 'scope'
        ? `${name}=${value
            .split(/\s+/)
            .filter(Boolean)
            .map((word) => word.replace(UNSAFE_IN_RAW_QUERY, encodeURIComponent))
            .join('+')}`
        : `${name}=${value.replace(UNSAFE_IN_RAW_QUERY, encodeURIComponent)}`,
    )
    .join('&');
  return Buffer.from(query, 'utf8').toString('base64url');
}
