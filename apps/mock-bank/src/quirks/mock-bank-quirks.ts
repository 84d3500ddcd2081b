/**
 * Quirk modes: start-up options that make the mock bank deviate from the standard the way a
 * real bank does, so every bank profile's quirks meet a bank that has them. The mock bank is the
 * connector's peer and imports nothing from its libs: the few profile fields it reads are
 * re-declared here (see quirksFromProfile).
 *
 * Every member defaults to the standard (or to the mock bank's lenient behaviour where the
 * standard leaves a choice, e.g. both DCR content types and both audiences accepted).
 */
export interface MockBankQuirks {
  discovery: {
    /**
     * Where the OpenID configuration is served; anything but the standard
     * '/.well-known/openid-configuration' serves it only there (the standard path answers 404).
     */
    wellKnownPath: string;
    /**
     * Members left out of the discovery document (a bank that does not publish them; the
     * profile supplies them through discovery.metadataOverrides). The full document stays
     * readable at /__admin/openid-configuration.
     */
    omitMembers: string[];
    /**
     * false: the bank publishes no discovery document at all (profile discovery.mode 'none'):
     * the well-known path answers 404 (the standard one and any other). The document oidc-provider
     * would have served stays readable at /__admin/openid-configuration.
     */
    served: boolean;
  };
  registration: {
    /** 'dcr' (default) or 'manual': POST /register refused; clients come from /__admin/clients. */
    mode: 'dcr' | 'manual';
    /** Accept the registration JWT only with this content type; 'any' (default) takes both. */
    requestContentType: 'any' | 'application/jwt' | 'application/jose';
    /** The only `aud` accepted; 'any' (default): the financial id or the issuer. */
    audience: 'any' | 'financial-id' | 'issuer';
    /** 'space-separated' (default): scope must be a string; 'array': a JSON array of strings. */
    scopeFormat: 'space-separated' | 'array';
    /** Unit of client_id_issued_at in registration responses. */
    clientIdIssuedAtUnit: 'seconds' | 'milliseconds';
    /**
     * How organizationIdentifier must be written in tls_client_auth_subject_dn; 'any' (default).
     * 'oid': 2.5.4.97=<text>; 'string': organizationIdentifier=<text>; 'oid-hex': 2.5.4.97=#<hex>,
     * the hex being the certificate's own encoding of the value (tag included). A bank that
     * demands the hex form takes the longer DN it makes: in that mode tls_client_auth_subject_dn
     * may have up to 512 characters (the DCR 3.4 limit) instead of DCR 3.3's 128.
     */
    subjectDnFormat: 'any' | 'oid' | 'oid-hex' | 'string';
    /** The only subject_type accepted in registration requests (absent refused too); 'any' (default). */
    subjectType: 'any' | 'public' | 'pairwise';
    /**
     * One live client per software statement (software_id): a second POST /register is refused
     * until the first client is deleted. What a bank group whose brands share one client does
     * (profile registration.sharedWith): a brand's registration must reuse the group's client.
     */
    oneClientPerSoftware: boolean;
    /** GET /register/{clientId}; false: 405. */
    getSupported: boolean;
    /** DELETE /register/{clientId}; false: 405. */
    deleteSupported: boolean;
  };
  authorisation: {
    /**
     * The only `aud` accepted in request objects: 'issuer' (default, the standard: the bank's
     * issuer) or the value a bank names instead (profile quirks.authorisation
     * requestObjectAudience); then the issuer is refused.
     */
    requestObjectAudience: string;
    /**
     * Answer `code id_token` in the query when the request asks for response_mode=query (OIDC
     * says fragment; oidc-provider refuses it otherwise).
     */
    hybridResponseInQuery: boolean;
    /**
     * A prefix request objects must write before the consent id in
     * claims.id_token.openbanking_intent_id (profile quirks.authorisation.intentIdPrefix); ''
     * (default): none, and a prefixed id names no consent.
     */
    intentIdPrefix: string;
    /**
     * Consent types authorised only in the bank's app, each with its deep link (profile
     * quirks.authorisation.authorisationEndpointByConsentType); '' (default): the authorisation
     * endpoint. The authorisation endpoint refuses such a consent unless the request came through
     * the app: the headless PSU (/__admin/authorise) opens an authUrl starting with the deep link
     * in the app, which then calls the endpoint; a browser or any other URL is refused.
     */
    appLinks: { 'account-access': string; 'domestic-payment': string; 'domestic-vrp': string };
    /**
     * The authorisation endpoint's front door (see authorisation-front.ts): how the bank wants the
     * request written, checked before oidc-provider sees it. All off by default.
     */
    front: {
      /**
       * Plain OAuth 2 (profile quirks.authorisation.protocol 'oauth2'): requests without a request
       * object are taken (and answered without an ID token, since they carry no openid scope),
       * naming the consent in `consentIdParameter`; a request that does not is refused.
       */
      plainOAuth: boolean;
      /** The parameter naming the consent in a plain OAuth 2 request ('' none). */
      consentIdParameter: string;
      /**
       * The whole query base64url-encoded in this one parameter (profile
       * quirks.authorisation.base64QueryParameter); a request written otherwise is refused ('' none).
       */
      base64QueryParameter: string;
      /** 'name=value' parameters every request must carry (profile extraParameters). */
      requiredParameters: string[];
      /** Scope values every request must carry (profile additionalScopes). */
      requiredScopes: string[];
    };
  };
  idToken: {
    /** What `sub` holds: the consent (intent) id (default), the PSU's user id or the client id. */
    subject: 'consent-id' | 'user-id' | 'client-id';
    /** Leave acr out of ID tokens. */
    omitAcr: boolean;
    /** Leave auth_time out of ID tokens. */
    omitAuthTime: boolean;
    /** Leave nonce out of token-endpoint ID tokens (the front channel keeps it). */
    omitNonceAtTokenEndpoint: boolean;
    /** exp and iat in milliseconds. */
    expInMilliseconds: boolean;
    /**
     * The `iss` of ID tokens: 'issuer' (default, the standard: the discovery issuer) or the value
     * a bank writes instead (profile quirks.idToken.issuer; NatWest Group: its request-object
     * audience).
     */
    issuer: string;
    /** Leave openbanking_intent_id out of ID tokens (profile intentIdClaimOptional). */
    omitIntentId: boolean;
  };
  tokenEndpoint: {
    /** token_type as written in token responses (RFC 6749 §7.1: case-insensitive). */
    tokenType: 'Bearer' | 'bearer' | 'BEARER';
    /** No refresh token for grants of the payments scope (payment and VRP consents). */
    noRefreshTokenForPayments: boolean;
    /**
     * authorization_code and refresh_token grants must carry `scope` (profile
     * tokenEndpoint.scopeInConsentGrants), with every authorisation.front.requiredScopes value;
     * a grant without is answered 400 invalid_request.
     */
    scopeInConsentGrants: boolean;
  };
  accountAccess: {
    /** Permissions refused (400 UK.OBIE.Field.Invalid) in account-access consents. */
    unsupportedPermissions: string[];
  };
  requests: {
    /**
     * Refuse a domestic VRP (POST /domestic-vrps, v4.0 and v3.1.11) that carries Data.VRPType
     * (400, OB error body); one without it is served with the consent's type (its API document
     * does not require the member).
     */
    refuseVrpType: boolean;
    /**
     * The x-fapi-financial-id each API's routes require: 'any' (default, not checked), 'bank'
     * (this bank's own financial id) or a literal id (an API served under another organisation's
     * id, as Lloyds Banking Group takes payments under the Lloyds Bank id for every brand); or
     * several of those, comma-separated (a group of brands served by one bank).
     */
    financialIds: {
      accountAndTransaction: string;
      paymentInitiation: string;
      variableRecurringPayments: string;
    };
    /**
     * Require the pre-v3.1.4 JOSE header in x-jws-signature: `b64: false`, listed in crit, and
     * the signature over the unencoded payload (a request signed without it is refused, U017).
     */
    jwsB64Header: boolean;
  };
  responses: {
    /** Links: 'standard' (the bank's https origin), 'other-host' (an API gateway host) or 'http'. */
    links: 'standard' | 'other-host' | 'http';
    /** *DateTime members written without an offset and with milliseconds. */
    brokenDateTimes: boolean;
    /** Direct debits' PreviousPaymentDateTime written as a value that is no date at all. */
    invalidDateTimes: boolean;
    /** A domestic VRP's Data.Refund nested under an Account member. */
    nestVrpRefundAccount: boolean;
    /** AIS Links with a trailing slash added to the path. */
    linksAddSlash: boolean;
  };
  /** A new consent is unknown to GET and to the authorisation endpoint for this long. */
  postCreateConsentDelayMs: number;
}

export const STANDARD_WELL_KNOWN_PATH = '/.well-known/openid-configuration';

export const STANDARD_MOCK_BANK_QUIRKS: MockBankQuirks = {
  discovery: { wellKnownPath: STANDARD_WELL_KNOWN_PATH, omitMembers: [], served: true },
  registration: {
    mode: 'dcr',
    requestContentType: 'any',
    audience: 'any',
    scopeFormat: 'space-separated',
    clientIdIssuedAtUnit: 'seconds',
    subjectDnFormat: 'any',
    subjectType: 'any',
    oneClientPerSoftware: false,
    getSupported: true,
    deleteSupported: true,
  },
  authorisation: {
    requestObjectAudience: 'issuer',
    hybridResponseInQuery: false,
    intentIdPrefix: '',
    appLinks: { 'account-access': '', 'domestic-payment': '', 'domestic-vrp': '' },
    front: {
      plainOAuth: false,
      consentIdParameter: '',
      base64QueryParameter: '',
      requiredParameters: [],
      requiredScopes: [],
    },
  },
  idToken: {
    subject: 'consent-id',
    omitAcr: false,
    omitAuthTime: false,
    omitNonceAtTokenEndpoint: false,
    expInMilliseconds: false,
    issuer: 'issuer',
    omitIntentId: false,
  },
  tokenEndpoint: {
    tokenType: 'Bearer',
    noRefreshTokenForPayments: false,
    scopeInConsentGrants: false,
  },
  accountAccess: { unsupportedPermissions: [] },
  requests: {
    refuseVrpType: false,
    financialIds: {
      accountAndTransaction: 'any',
      paymentInitiation: 'any',
      variableRecurringPayments: 'any',
    },
    jwsB64Header: false,
  },
  responses: {
    links: 'standard',
    brokenDateTimes: false,
    invalidDateTimes: false,
    nestVrpRefundAccount: false,
    linksAddSlash: false,
  },
  postCreateConsentDelayMs: 0,
};

/**
 * The financial id a contract bank requires on an API whose profile lists
 * `apis.<api>.financialId` in requiredConfiguration (the contract configures this value).
 */
export const CONFIGURED_API_FINANCIAL_ID = '0015800000MOCKAPIID';

export class MockBankQuirksError extends Error {}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses MOCK_BANK_QUIRKS (or MockBankOptions.quirks): a partial MockBankQuirks, merged over
 * the standard. Unknown members and wrong values are refused with their path, so a typo never
 * silently tests the standard behaviour.
 */
export function parseMockBankQuirks(
  input: unknown,
  source = 'quirks',
  base: MockBankQuirks = STANDARD_MOCK_BANK_QUIRKS,
): MockBankQuirks {
  if (input === undefined || input === null) return structuredClone(base);
  if (!isObject(input)) throw new MockBankQuirksError(`${source} must be a JSON object`);
  const quirks = merge(base, input, source) as unknown as MockBankQuirks;
  const front = quirks.authorisation.front;
  const badParameter = front.requiredParameters.find((p) => !/^[A-Za-z_][\w.-]*=\S+$/.test(p));
  if (badParameter !== undefined)
    throw new MockBankQuirksError(
      `${source}.authorisation.front.requiredParameters: '${badParameter}' is not name=value`,
    );
  if (front.plainOAuth && front.consentIdParameter === '')
    throw new MockBankQuirksError(
      `${source}.authorisation.front.plainOAuth needs consentIdParameter: the parameter naming the consent`,
    );
  return quirks;
}

const ENUMS: Record<string, readonly string[]> = {
  'registration.mode': ['dcr', 'manual'],
  'registration.requestContentType': ['any', 'application/jwt', 'application/jose'],
  'registration.audience': ['any', 'financial-id', 'issuer'],
  'registration.scopeFormat': ['space-separated', 'array'],
  'registration.clientIdIssuedAtUnit': ['seconds', 'milliseconds'],
  'registration.subjectDnFormat': ['any', 'oid', 'oid-hex', 'string'],
  'registration.subjectType': ['any', 'public', 'pairwise'],
  'idToken.subject': ['consent-id', 'user-id', 'client-id'],
  'tokenEndpoint.tokenType': ['Bearer', 'bearer', 'BEARER'],
  'responses.links': ['standard', 'other-host', 'http'],
};

function merge(base: unknown, patch: Json, path: string): unknown {
  const out: Json = structuredClone(base) as Json;
  for (const [key, value] of Object.entries(patch)) {
    const at = `${path}.${key}`;
    const dotted = at.split('.').slice(1).join('.');
    if (!(key in out))
      throw new MockBankQuirksError(
        `${at} is not a known quirk (known here: ${Object.keys(out).join(', ')})`,
      );
    const current = out[key];
    if (isObject(current)) {
      if (!isObject(value)) throw new MockBankQuirksError(`${at} must be an object`);
      out[key] = merge(current, value, at);
    } else if (Array.isArray(current)) {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
        throw new MockBankQuirksError(`${at} must be an array of strings`);
      out[key] = [...value];
    } else if (typeof current === 'boolean') {
      if (typeof value !== 'boolean') throw new MockBankQuirksError(`${at} must be true or false`);
      out[key] = value;
    } else if (typeof current === 'number') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 60_000)
        throw new MockBankQuirksError(`${at} must be a whole number from 0 to 60000`);
      out[key] = value;
    } else {
      const allowed = ENUMS[dotted];
      if (dotted === 'discovery.wellKnownPath') {
        if (typeof value !== 'string' || !/^\/[A-Za-z0-9._~/-]+$/.test(value))
          throw new MockBankQuirksError(`${at} must be a URL path starting with /`);
      } else if (dotted.startsWith('requests.financialIds.')) {
        if (typeof value !== 'string' || !/^\S+$/.test(value))
          throw new MockBankQuirksError(`${at} must be 'any', 'bank' or a financial id`);
      } else if (dotted === 'authorisation.requestObjectAudience' || dotted === 'idToken.issuer') {
        if (typeof value !== 'string' || !/^\S+$/.test(value))
          throw new MockBankQuirksError(`${at} must be 'issuer' or a value without spaces`);
      } else if (dotted === 'authorisation.intentIdPrefix') {
        if (typeof value !== 'string' || !/^\S*$/.test(value))
          throw new MockBankQuirksError(`${at} must be a prefix without spaces ('' for none)`);
      } else if (
        dotted === 'authorisation.front.consentIdParameter' ||
        dotted === 'authorisation.front.base64QueryParameter'
      ) {
        if (typeof value !== 'string' || !/^([A-Za-z_][A-Za-z0-9_.-]*)?$/.test(value))
          throw new MockBankQuirksError(`${at} must be a parameter name ('' for none)`);
      } else if (dotted.startsWith('authorisation.appLinks.')) {
        if (
          typeof value !== 'string' ||
          !(value === '' || /^[a-z][a-z0-9+.-]*:\/\/\S+$/.test(value))
        )
          throw new MockBankQuirksError(`${at} must be a deep link (scheme://...) or ''`);
      } else if (typeof value !== 'string' || (allowed && !allowed.includes(value)))
        throw new MockBankQuirksError(`${at} must be one of ${(allowed ?? []).join(', ')}`);
      out[key] = value;
    }
  }
  return out;
}

/** The few members of a bank profile file (libs/bank-profiles schema) the mock bank reads. */
interface ProfileView {
  issuerUrl?: string;
  wellKnownUrl?: string;
  requiredConfiguration?: string[];
  apis?: Record<string, { financialId?: string } | undefined>;
  messageSigning?: { b64Header?: boolean };
  discovery?: { mode?: string; metadataOverrides?: Record<string, unknown> };
  registration?: {
    mode?: string;
    requestContentType?: string;
    audience?: string;
    scopeFormat?: string;
    clientIdIssuedAtUnit?: string;
    subjectDnFormat?: string;
    subjectType?: string;
    sharedWith?: string;
    getSupported?: boolean;
    deleteSupported?: boolean;
  };
  quirks?: {
    postCreateConsentDelayMs?: number;
    authorisation?: {
      responseType?: string;
      responseMode?: string;
      requestObjectAudience?: string;
      intentIdPrefix?: string;
      authorisationEndpointByConsentType?: Record<string, string>;
      protocol?: string;
      consentIdParameter?: string;
      extraParameters?: Record<string, string>;
      additionalScopes?: string[];
      base64QueryParameter?: string;
    };
    idToken?: {
      issuer?: string;
      intentIdClaimOptional?: boolean;
      subject?: string;
      nonceOptional?: boolean;
      acrOptional?: boolean;
      authTimeOptional?: boolean;
      expInMilliseconds?: boolean;
    };
    tokenEndpoint?: { noRefreshTokenForPayments?: boolean; scopeInConsentGrants?: boolean };
    accountAccess?: { unsupportedPermissions?: string[] };
    requests?: { omitVrpType?: boolean };
    responses?: {
      repairDateTimes?: boolean;
      invalidDateTimes?: string;
      unnestVrpRefundAccount?: boolean;
    };
  };
}

/**
 * The behaviour a bank profile describes, as mock-bank quirks: the strictest bank consistent
 * with the profile. What the profile says the bank wants, the mock bank insists on (only that
 * content type, only that audience, scope only in that shape, that DN spelling); what the
 * profile says the bank omits or gets wrong, the mock bank omits or gets wrong (ID-token claims
 * the profile makes optional are left out, exp in ms, no refresh token for payments, broken
 * date-times where the profile repairs them; only the request-object audience the profile
 * names, and the intent-id prefix it writes; ID tokens with the `iss` it names and without the
 * openbanking_intent_id it makes optional; consent types it authorises through an app link
 * refused at the authorisation endpoint; no discovery document where the profile supplies the
 * whole metadata; a plain OAuth 2 request, its consent parameter, extra parameters, scopes and
 * base64 query insisted on where the profile writes them). ID-token `sub` follows the profile when it names
 * one. Profile defaults (a standard bank) give the standard mock bank.
 */
export function quirksFromProfile(profile: unknown): MockBankQuirks {
  if (!isObject(profile)) throw new MockBankQuirksError('the bank profile must be a JSON object');
  const p = profile as ProfileView;
  const r = p.registration ?? {};
  const q = p.quirks ?? {};
  const id = q.idToken ?? {};
  const subject =
    id.subject === 'user-id' || id.subject === 'client-id' ? id.subject : 'consent-id';
  const patch = {
    discovery: {
      wellKnownPath: wellKnownPathOf(p),
      omitMembers: Object.keys(p.discovery?.metadataOverrides ?? {}),
      served: p.discovery?.mode !== 'none',
    },
    registration: {
      mode: r.mode === 'manual' ? 'manual' : 'dcr',
      requestContentType: r.requestContentType ?? 'application/jwt',
      audience: r.audience ?? 'issuer',
      scopeFormat: r.scopeFormat ?? 'space-separated',
      clientIdIssuedAtUnit: r.clientIdIssuedAtUnit ?? 'seconds',
      subjectDnFormat: r.subjectDnFormat ?? 'oid',
      subjectType: r.subjectType ?? 'any',
      oneClientPerSoftware: typeof r.sharedWith === 'string',
      getSupported: r.getSupported ?? true,
      deleteSupported: r.deleteSupported ?? true,
    },
    authorisation: {
      requestObjectAudience: q.authorisation?.requestObjectAudience ?? 'issuer',
      hybridResponseInQuery:
        (q.authorisation?.responseType ?? 'code id_token') === 'code id_token' &&
        q.authorisation?.responseMode === 'query',
      intentIdPrefix: q.authorisation?.intentIdPrefix ?? '',
      // Every consent type the profile sends elsewhere is authorised only there (Zopa: in its app).
      appLinks: q.authorisation?.authorisationEndpointByConsentType ?? {},
      // A bank without OpenID Connect takes the request only the way the profile writes it:
      // plain, naming the consent in its parameter, with its extra parameters and scopes, in
      // its one base64 parameter.
      front: {
        plainOAuth: q.authorisation?.protocol === 'oauth2',
        consentIdParameter:
          q.authorisation?.protocol === 'oauth2' ? (q.authorisation.consentIdParameter ?? '') : '',
        base64QueryParameter: q.authorisation?.base64QueryParameter ?? '',
        requiredParameters: Object.entries(q.authorisation?.extraParameters ?? {}).map(
          ([name, value]) => `${name}=${value}`,
        ),
        requiredScopes: q.authorisation?.additionalScopes ?? [],
      },
    },
    idToken: {
      subject,
      // The connector's default accepts tokens without acr and auth_time (acrOptional and
      // authTimeOptional default true): only an explicit `true` says the bank omits them.
      omitAcr: id.acrOptional === true,
      omitAuthTime: id.authTimeOptional === true,
      omitNonceAtTokenEndpoint: id.nonceOptional === true,
      expInMilliseconds: id.expInMilliseconds === true,
      issuer:
        id.issuer === 'request-object-audience'
          ? (q.authorisation?.requestObjectAudience ?? 'issuer')
          : (id.issuer ?? 'issuer'),
      omitIntentId: id.intentIdClaimOptional === true,
    },
    tokenEndpoint: {
      noRefreshTokenForPayments: q.tokenEndpoint?.noRefreshTokenForPayments === true,
      scopeInConsentGrants: q.tokenEndpoint?.scopeInConsentGrants === true,
    },
    accountAccess: { unsupportedPermissions: q.accountAccess?.unsupportedPermissions ?? [] },
    requests: {
      refuseVrpType: q.requests?.omitVrpType === true,
      financialIds: financialIdsOf(p),
      jwsB64Header: p.messageSigning?.b64Header === true,
    },
    responses: {
      brokenDateTimes: q.responses?.repairDateTimes === true,
      invalidDateTimes: q.responses?.invalidDateTimes === 'drop',
      nestVrpRefundAccount: q.responses?.unnestVrpRefundAccount === true,
    },
    postCreateConsentDelayMs: q.postCreateConsentDelayMs ?? 0,
  };
  return parseMockBankQuirks(patch, 'profile');
}

const PROFILE_APIS = [
  'accountAndTransaction',
  'paymentInitiation',
  'variableRecurringPayments',
] as const;

/**
 * The financial id each API requires when the profile names one for any API
 * (`apis.<api>.financialId`, or listed in requiredConfiguration: CONFIGURED_API_FINANCIAL_ID);
 * then the other APIs require the bank's own. Nothing is checked otherwise.
 */
function financialIdsOf(p: ProfileView): MockBankQuirks['requests']['financialIds'] {
  const own = (api: string): string | undefined =>
    p.apis?.[api]?.financialId ??
    (p.requiredConfiguration?.includes(`apis.${api}.financialId`)
      ? CONFIGURED_API_FINANCIAL_ID
      : undefined);
  const named = PROFILE_APIS.some((api) => own(api) !== undefined);
  const of = (api: string) => (named ? (own(api) ?? 'bank') : 'any');
  return {
    accountAndTransaction: of('accountAndTransaction'),
    paymentInitiation: of('paymentInitiation'),
    variableRecurringPayments: of('variableRecurringPayments'),
  };
}

/**
 * The discovery path a profile's wellKnownUrl implies, relative to its issuer: the standard one
 * unless the profile names a well-known URL elsewhere (e.g. '/oidc/.well-known/...' under an
 * issuer without that prefix, or '/config/openid.json').
 */
function wellKnownPathOf(p: ProfileView): string {
  if (!p.wellKnownUrl) return STANDARD_WELL_KNOWN_PATH;
  let wellKnown: URL;
  try {
    wellKnown = new URL(p.wellKnownUrl);
  } catch {
    return STANDARD_WELL_KNOWN_PATH;
  }
  const issuerPath = p.issuerUrl ? new URL(p.issuerUrl).pathname.replace(/\/+$/, '') : '';
  const standard = `${issuerPath}${STANDARD_WELL_KNOWN_PATH}`;
  return wellKnown.pathname === standard ? STANDARD_WELL_KNOWN_PATH : wellKnown.pathname;
}
