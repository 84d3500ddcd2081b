/**
 * TypeScript shape of a bank profile. `BankProfileDefinition` mirrors
 * `libs/bank-profiles/schema/bank-profile.schema.json` after schema defaults are applied (keep the
 * two in step: the schema spec checks the shipped profiles type-check against it); `BankProfile`
 * adds what the loader resolves (overrides applied, derived values, configuration status).
 */

export const API_VERSIONS = ['v4.0', 'v3.1.11'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

export const BANK_APIS = [
  'accountAndTransaction',
  'paymentInitiation',
  'variableRecurringPayments',
] as const;
export type BankApiKind = (typeof BANK_APIS)[number];

export const CONSENT_TYPES = ['account-access', 'domestic-payment', 'domestic-vrp'] as const;
export type ConsentType = (typeof CONSENT_TYPES)[number];

/** The consent type each API serves: the default `consentTypes` of a profile. */
export const CONSENT_TYPE_BY_API: Readonly<Record<BankApiKind, ConsentType>> = {
  accountAndTransaction: 'account-access',
  paymentInitiation: 'domestic-payment',
  variableRecurringPayments: 'domestic-vrp',
};

export type BankEnvironment = 'sandbox' | 'production' | 'mock';
export type TokenEndpointAuthMethod =
  'tls_client_auth' | 'private_key_jwt' | 'client_secret_basic' | 'client_secret_post';

/** Keys an operator may have to supply through configuration (`requiredConfiguration`). */
export const CONFIGURABLE_KEYS = [
  'issuerUrl',
  'wellKnownUrl',
  'financialId',
  'apis.accountAndTransaction.baseUrl',
  'apis.paymentInitiation.baseUrl',
  'apis.variableRecurringPayments.baseUrl',
  'apis.accountAndTransaction.financialId',
  'apis.paymentInitiation.financialId',
  'apis.variableRecurringPayments.financialId',
  'tls.caBundleFile',
] as const;
export type ConfigurableKey = (typeof CONFIGURABLE_KEYS)[number];

export interface BankApiDefinition {
  version: ApiVersion;
  /** Absent only when listed in `requiredConfiguration` and not yet configured. */
  baseUrl?: string;
  /**
   * The x-fapi-financial-id of this API's calls when it is not the profile's `financialId` (Lloyds
   * Banking Group takes payments and VRPs under the Lloyds Bank id for every brand).
   */
  financialId?: string;
}

export type BankApis = Partial<Record<BankApiKind, BankApiDefinition>>;

export interface RegistrationBehaviour {
  mode: 'dcr' | 'manual';
  /** Recorded for the capability matrix; the claims do not depend on it. */
  dcrVersion: '3.1' | '3.2' | '3.3';
  requestContentType: 'application/jwt' | 'application/jose';
  audience: 'financial-id' | 'issuer';
  getSupported: boolean;
  deleteSupported: boolean;
  managementAuth: 'client-credentials' | 'registration-access-token';
  subjectDnFormat: SubjectDnFormat;
  scopeFormat: 'space-separated' | 'array';
  clientIdIssuedAtUnit: 'seconds' | 'milliseconds';
  defaultScopes: string[];
  /** One client per API: a registration's scopes name AIS or PIS scopes, never both. */
  separateClientsPerApi: boolean;
  /** The DCR request's grant_types, in order. */
  grantTypes: DcrGrantType[];
  /** The DCR request's subject_type when the bank insists on one; absent: not sent. */
  subjectType?: DcrSubjectType;
  /**
   * The id of the profile whose registration (one client) this brand shares: bank registrations
   * for this profile reuse that profile's client instead of registering by DCR.
   */
  sharedWith?: string;
}

/**
 * How tls_client_auth_subject_dn writes organizationIdentifier: 'oid' (2.5.4.97=<the value as
 * text>), 'oid-hex' (2.5.4.97=#<hex of the value's BER encoding as in the certificate>, RFC 4514
 * section 2.4) or 'string' (organizationIdentifier=<the value as text>).
 */
export type SubjectDnFormat = 'oid' | 'oid-hex' | 'string';
export type DcrSubjectType = 'public' | 'pairwise';

export type DcrGrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';

/** The registration behaviour of a bank that follows the standard (the schema's defaults). */
export const STANDARD_REGISTRATION: RegistrationBehaviour = {
  mode: 'dcr',
  dcrVersion: '3.3',
  requestContentType: 'application/jwt',
  audience: 'issuer',
  getSupported: true,
  deleteSupported: true,
  managementAuth: 'client-credentials',
  subjectDnFormat: 'oid',
  scopeFormat: 'space-separated',
  clientIdIssuedAtUnit: 'seconds',
  defaultScopes: ['openid', 'accounts', 'payments'],
  separateClientsPerApi: false,
  grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
};

/** Deviations of the bank's OpenID Connect discovery document (see the schema). */
export interface DiscoveryQuirks {
  /**
   * 'fetch': GET the bank's discovery document. 'none': the bank publishes none (plain OAuth 2
   * servers); nothing is fetched and metadataOverrides is the whole metadata (the schema then
   * requires issuer, authorization_endpoint and token_endpoint in it).
   */
  mode: DiscoveryMode;
  /** Members supplied by the profile, replacing or adding to the bank's document. */
  metadataOverrides: Record<string, unknown>;
  /** Accept a document whose issuer differs from issuerUrl. */
  acceptIssuerMismatch: boolean;
}

export type DiscoveryMode = 'fetch' | 'none';

export const STANDARD_DISCOVERY: DiscoveryQuirks = {
  mode: 'fetch',
  metadataOverrides: {},
  acceptIssuerMismatch: false,
};

/** Named deviations from the standard; every one defaults to "the bank follows the standard". */
export interface BankQuirks {
  /** Wait after creating a consent before using it (eventually consistent consent stores). */
  postCreateConsentDelayMs: number;
  authorisation: AuthorisationQuirks;
  idToken: IdTokenQuirks;
  tokenEndpoint: TokenEndpointQuirks;
  accountAccess: { unsupportedPermissions: string[] };
  requests: RequestQuirks;
  responses: ResponseQuirks;
}

/** Request members the bank refuses although the standard has them (see the schema). */
export interface RequestQuirks {
  /** Send domestic-VRP payment requests without Data.VRPType (Barclays). */
  omitVrpType: boolean;
}

/** Deviations at the token endpoint (see the schema). */
export interface TokenEndpointQuirks {
  noRefreshTokenForPayments: boolean;
  /** Send the authorisation request's scope in a consent's code and refresh grants. */
  scopeInConsentGrants: boolean;
}

/** The UK OB scope of each consent type (the `scope` of its authorisation and its tokens). */
export const CONSENT_TYPE_SCOPE: Readonly<Record<ConsentType, string>> = {
  'account-access': 'accounts',
  'domestic-payment': 'payments',
  'domestic-vrp': 'payments',
};

/**
 * The scope of a consent type's authorisation request under a profile: the consent type's
 * scope and the profile's additionalScopes, after openid unless the protocol is plain OAuth 2.
 */
export function consentScope(
  quirks: Pick<BankQuirks, 'authorisation'>,
  consentType: ConsentType,
): string {
  const { protocol, additionalScopes } = quirks.authorisation;
  return [
    ...(protocol === 'oauth2' ? [] : ['openid']),
    CONSENT_TYPE_SCOPE[consentType],
    ...additionalScopes,
  ].join(' ');
}

/** Repairs of the bank's response bodies (see the schema). */
export interface ResponseQuirks {
  /** Rewrite *DateTime members without a time zone or with fractional seconds to ISO 8601. */
  repairDateTimes: boolean;
  /** 'drop': a *DateTime member that is not a date at all is removed (read as absent). */
  invalidDateTimes: 'keep' | 'drop';
  /** VRP responses' Data.Refund nested under an Account member is un-nested. */
  unnestVrpRefundAccount: boolean;
}

/** The quirks of a bank that follows the standard: what the schema's defaults produce. */
export const STANDARD_QUIRKS: BankQuirks = {
  postCreateConsentDelayMs: 0,
  authorisation: {
    protocol: 'oidc',
    responseType: 'code id_token',
    responseMode: 'fragment',
    pkce: false,
    redundantQueryParams: true,
    acrValues: ['urn:openbanking:psd2:sca', 'urn:openbanking:psd2:ca'],
    additionalScopes: [],
  },
  idToken: {
    subject: 'any',
    nonceOptional: false,
    acrOptional: true,
    authTimeOptional: true,
    expInMilliseconds: false,
    intentIdClaimOptional: false,
  },
  tokenEndpoint: { noRefreshTokenForPayments: false, scopeInConsentGrants: false },
  accountAccess: { unsupportedPermissions: [] },
  requests: { omitVrpType: false },
  responses: { repairDateTimes: false, invalidDateTimes: 'keep', unnestVrpRefundAccount: false },
};

/** The authorisation request's shape (see the schema for each field). */
export interface AuthorisationQuirks {
  /**
   * 'oidc': OpenID Connect with a signed request object and ID tokens (FAPI 1 Advanced).
   * 'oauth2': a plain OAuth 2 code request, the consent in `consentIdParameter`; no request
   * object, nonce or ID token (weaker than FAPI: for banks that offer nothing else).
   */
  protocol: AuthorisationProtocol;
  responseType: 'code id_token' | 'code';
  responseMode: 'fragment' | 'query';
  pkce: boolean;
  requestObjectAudience?: string;
  redundantQueryParams: boolean;
  acrValues: string[];
  /** Written before the consent id in the request object's openbanking_intent_id claims. */
  intentIdPrefix?: string;
  /** Per consent type, the endpoint of the authUrl instead of the discovery one (app deep links). */
  authorisationEndpointByConsentType?: Partial<Record<ConsentType, string>>;
  /** Protocol 'oauth2': the authorisation request parameter that names the consent. */
  consentIdParameter?: string;
  /** Fixed parameters added to the authorisation request (e.g. login_hint). */
  extraParameters?: Record<string, string>;
  /** Scope values sent beside the consent type's scope (e.g. 'offline'). */
  additionalScopes: string[];
  /** The whole query, base64url-encoded, in the one parameter of this name. */
  base64QueryParameter?: string;
}

export type AuthorisationProtocol = 'oidc' | 'oauth2';

/** Documented relaxations of ID-token validation. */
export interface IdTokenQuirks {
  subject: 'any' | 'consent-id' | 'user-id' | 'client-id';
  nonceOptional: boolean;
  acrOptional: boolean;
  authTimeOptional: boolean;
  expInMilliseconds: boolean;
  /**
   * The ID token's `iss` when it is not the discovery issuer: a URL, or
   * 'request-object-audience' (quirks.authorisation.requestObjectAudience). Absent: the
   * discovery issuer.
   */
  issuer?: string;
  /** Accept an ID token without openbanking_intent_id (when present it must still match). */
  intentIdClaimOptional: boolean;
}

/** The `quirks.idToken.issuer` value that names the request-object audience. */
export const ID_TOKEN_ISSUER_REQUEST_OBJECT_AUDIENCE = 'request-object-audience';

/** How the bank signs its responses (the schema's `messageSigning`). */
export interface MessageSigning {
  /** Check x-jws-signature on the bank's successful PIS and VRP responses. */
  verifyResponseSignatures: boolean;
  /** The bank's signing keys; default: the jwks_uri of its OpenID configuration. */
  jwksUrl?: string;
  /** The expected `http://openbanking.org.uk/iss`; default: the profile's financialId. */
  issuer?: string;
  /** The expected `http://openbanking.org.uk/tan`. */
  trustAnchor: string;
  /**
   * Sign the connector's requests with the pre-v3.1.4 JOSE header: `b64: false` listed in `crit`
   * (TSB). The payload stays unencoded, as it always is in a detached JWS.
   */
  b64Header: boolean;
}

/** What the schema's defaults produce: the bank's response signatures are not checked. */
export const DEFAULT_MESSAGE_SIGNING: MessageSigning = {
  verifyResponseSignatures: false,
  trustAnchor: 'openbanking.org.uk',
  b64Header: false,
};

/**
 * How the connector calls this bank (the schema's `callPolicy`), every value optional: what is
 * absent comes from the connector's settings. Structurally the `BankCallPolicyOverrides` of
 * libs/bank-http, which applies it.
 */
export interface BankCallPolicyDefinition {
  timeouts?: {
    tokenMs?: number;
    registrationMs?: number;
    paymentMs?: number;
    readMs?: number;
    writeMs?: number;
  };
  retry?: {
    maxAttempts?: number;
    baseDelayMs?: number;
    maxDelayMs?: number;
    maxRetryAfterSeconds?: number;
  };
  circuitBreaker?: { failureThreshold?: number; openMs?: number };
  concurrency?: { maxConcurrent?: number; queueLimit?: number; queueTimeoutMs?: number };
}

export interface BankProfileDocumentation {
  url?: string;
  notes?: string;
}

/** A profile file's content once schema defaults are applied. */
export interface BankProfileDefinition {
  id: string;
  displayName: string;
  group: string;
  brand?: string;
  environment: BankEnvironment;
  issuerUrl?: string;
  wellKnownUrl?: string;
  financialId?: string;
  apis: BankApis;
  registration: RegistrationBehaviour;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  tls?: { caBundleFile?: string };
  requiredConfiguration: ConfigurableKey[];
  consentTypes?: ConsentType[];
  documentation?: BankProfileDocumentation;
  discovery: DiscoveryQuirks;
  messageSigning: MessageSigning;
  quirks: BankQuirks;
  /** Per-bank call policy overrides; absent values come from the BANK_HTTP_* settings. */
  callPolicy?: BankCallPolicyDefinition;
}

/**
 * A loaded profile: the definition with configuration overrides applied, `wellKnownUrl` and
 * `consentTypes` resolved, and whether every value the bank does not publish has been supplied.
 * Call `assertConfigured(profile)` before using one for a bank call.
 */
export interface BankProfile extends BankProfileDefinition {
  /** issuerUrl + '/.well-known/openid-configuration' unless the profile or an override sets it. */
  wellKnownUrl?: string;
  consentTypes: ConsentType[];
  /** False while any `requiredConfiguration` value is missing. */
  configured: boolean;
  /** The `requiredConfiguration` keys still missing after overrides. */
  missingConfiguration: ConfigurableKey[];
  /** The file the profile came from (for messages). */
  sourceFile: string;
}

/** A profile whose required values are all present (what `assertConfigured` narrows to). */
export type ConfiguredBankProfile = BankProfile & {
  issuerUrl: string;
  wellKnownUrl: string;
  financialId: string;
};
