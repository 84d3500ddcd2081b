import { DomainError, FieldError } from '@obc/common';

/** The parts of a bank's OpenID Provider metadata the connector uses. */
export interface OpenIdMetadata {
  issuer: string;
  token_endpoint: string;
  /**
   * Always present in a fetched document; a profile without discovery (discovery.mode 'none')
   * that runs plain OAuth 2 (no ID tokens to check) may leave it out.
   */
  jwks_uri?: string;
  authorization_endpoint?: string;
  registration_endpoint?: string;
  mtls_endpoint_aliases?: {
    token_endpoint?: string;
    registration_endpoint?: string;
    [name: string]: string | undefined;
  };
  token_endpoint_auth_methods_supported?: string[];
  token_endpoint_auth_signing_alg_values_supported?: string[];
  request_object_signing_alg_values_supported?: string[];
  id_token_signing_alg_values_supported?: string[];
  response_types_supported?: string[];
  response_modes_supported?: string[];
  scopes_supported?: string[];
  grant_types_supported?: string[];
  /** The document as the bank sent it (for quirks that need other members). */
  raw: Record<string, unknown>;
}

const REQUIRED_URLS = ['issuer', 'token_endpoint', 'jwks_uri'] as const;
const OPTIONAL_URLS = ['authorization_endpoint', 'registration_endpoint'] as const;
const STRING_LISTS = [
  'token_endpoint_auth_methods_supported',
  'token_endpoint_auth_signing_alg_values_supported',
  'request_object_signing_alg_values_supported',
  'id_token_signing_alg_values_supported',
  'response_types_supported',
  'response_modes_supported',
  'scopes_supported',
  'grant_types_supported',
] as const;

function isHttpsUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/**
 * Checks the members we rely on and returns them typed; everything else stays in `raw`.
 * Every endpoint must be https: these URLs receive client credentials and assertions.
 */
export function parseOpenIdMetadata(
  doc: unknown,
  source: string,
  options: { jwksUriOptional?: boolean } = {},
): OpenIdMetadata {
  const errors: FieldError[] = [];
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw invalidMetadata(source, [{ field: '(document)', message: 'must be a JSON object' }]);
  }
  const raw = doc as Record<string, unknown>;
  for (const field of REQUIRED_URLS) {
    if (field === 'jwks_uri' && options.jwksUriOptional && raw[field] === undefined) continue;
    if (!isHttpsUrl(raw[field]))
      errors.push({ field, message: 'is required and must be an https URL' });
  }
  for (const field of OPTIONAL_URLS) {
    if (raw[field] !== undefined && !isHttpsUrl(raw[field]))
      errors.push({ field, message: 'must be an https URL' });
  }
  for (const field of STRING_LISTS) {
    if (raw[field] !== undefined && !isStringList(raw[field]))
      errors.push({ field, message: 'must be an array of strings' });
  }
  const aliases = raw.mtls_endpoint_aliases;
  if (aliases !== undefined) {
    if (typeof aliases !== 'object' || aliases === null || Array.isArray(aliases)) {
      errors.push({ field: 'mtls_endpoint_aliases', message: 'must be an object of https URLs' });
    } else {
      for (const [name, url] of Object.entries(aliases as Record<string, unknown>)) {
        if (!isHttpsUrl(url))
          errors.push({ field: `mtls_endpoint_aliases.${name}`, message: 'must be an https URL' });
      }
    }
  }
  if (errors.length > 0) throw invalidMetadata(source, errors);

  const out: OpenIdMetadata = {
    issuer: raw.issuer as string,
    token_endpoint: raw.token_endpoint as string,
    raw,
  };
  if (raw.jwks_uri !== undefined) out.jwks_uri = raw.jwks_uri as string;
  for (const field of OPTIONAL_URLS)
    if (raw[field] !== undefined) out[field] = raw[field] as string;
  for (const field of STRING_LISTS)
    if (raw[field] !== undefined) out[field] = raw[field] as string[];
  if (aliases !== undefined) out.mtls_endpoint_aliases = aliases as Record<string, string>;
  return out;
}

/** The bank's jwks_uri, for checking its ID tokens: a metadata without one cannot serve. */
export function requireJwksUri(metadata: OpenIdMetadata, source: string): string {
  if (metadata.jwks_uri !== undefined) return metadata.jwks_uri;
  throw invalidMetadata(source, [
    { field: 'jwks_uri', message: 'is required to check the bank’s ID tokens' },
  ]);
}

function invalidMetadata(source: string, errors: FieldError[]): DomainError {
  return new DomainError(
    'discovery/invalid-metadata',
    'bank-failure',
    "The bank's OpenID configuration is not usable",
    {
      detail: `The OpenID configuration at ${source} is not usable: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`,
      errors,
    },
  );
}

/**
 * RFC 8705 §5: a client authenticating with a certificate (and every FAPI client binds tokens
 * to its certificate) uses the mTLS alias of an endpoint when the bank publishes one.
 */
export function effectiveEndpoint(
  metadata: OpenIdMetadata,
  name: 'token_endpoint' | 'registration_endpoint',
  usesMtls = true,
): string | undefined {
  const alias = usesMtls ? metadata.mtls_endpoint_aliases?.[name] : undefined;
  return alias ?? metadata[name];
}

export function effectiveTokenEndpoint(metadata: OpenIdMetadata, usesMtls = true): string {
  return effectiveEndpoint(metadata, 'token_endpoint', usesMtls) ?? metadata.token_endpoint;
}
