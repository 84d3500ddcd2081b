import { randomBytes } from 'node:crypto';
import { errors, Provider, type KoaContextWithOIDC } from 'oidc-provider';
import type { Ledger } from '../admin/ledger';
import { CONSENT_STATUS, type ConsentKind, type ConsentStore } from '../consents/consent-store';
import type { FaultInjector } from '../faults/fault-injector';
import { FRONT_CONSENT_PARAM } from '../interaction/authorisation-front';
import type { QuirkRewriter } from '../quirks/quirk-rewriter';
import { peerCertificate } from '../tls/client-certificate';
import { subjectDnMatches } from '../tls/subject-dn';
import type { PrivateJwk } from './bank-signing-key';
import { INTENT_ID_CLAIM } from './access-token-verifier';
import { intentIdFromClaims } from './intent-claims';
import { createMemoryAdapter, type MemoryStorage } from './memory-adapter';

export const SUPPORTED_AUTH_METHODS = [
  'tls_client_auth',
  'private_key_jwt',
  'client_secret_basic',
  'client_secret_post',
] as const;
export const SUPPORTED_SCOPES = [
  'openid',
  'offline_access',
  'accounts',
  'payments',
  'fundsconfirmations',
];

export interface ProviderOptions {
  issuer: string;
  signingJwk: PrivateJwk;
  ledger: Ledger;
  consents: ConsentStore;
  storage?: MemoryStorage;
  faults?: FaultInjector;
  /** Quirk mode: ID-token and token-response deviations. */
  quirks?: QuirkRewriter;
  /** Access token lifetime in seconds (MOCK_BANK_ACCESS_TOKEN_TTL, default 300). */
  accessTokenTtlSeconds?: number;
  /**
   * Quirk authorisation.requestObjectAudience: the only `aud` request objects may carry, in
   * place of the issuer (absent: the issuer, the standard).
   */
  requestObjectAudience?: string;
  /** Quirk authorisation.hybridResponseInQuery: code id_token answered in the query on request. */
  hybridResponseInQuery?: boolean;
  /** Quirk authorisation.intentIdPrefix: the prefix request objects write before the intent id. */
  intentIdPrefix?: string;
  /**
   * Quirk authorisation.appLinks: consent kinds authorised only in the bank's app, each with its
   * deep link; the authorisation request must come through the app (APP_LINK_HEADER).
   */
  appLinks?: Partial<Record<ConsentKind, string>>;
  /**
   * Quirk authorisation.front.plainOAuth: plain OAuth 2 requests (no request object, no openid
   * scope, so no ID token), their consent handed over by the front door (authorisation-front.ts).
   */
  plainOAuth?: boolean;
  /** Quirk discovery.served false: the well-known document answers 404 (kept for /__admin). */
  discoveryServed?: boolean;
  /**
   * Quirk tokenEndpoint.scopeInConsentGrants: code and refresh grants must name their scope,
   * with each of these values (authorisation.front.requiredScopes).
   */
  grantScope?: { required: boolean; values: string[] };
}

/**
 * Set by the bank's "app" (the headless PSU opening a deep link) on the authorisation request it
 * makes, naming the deep link it was opened with. A browser never sends it.
 */
export const APP_LINK_HEADER = 'x-mock-bank-app-link';

export const SCA_ACR = 'urn:openbanking:psd2:sca';
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 300;
/** The OB consent status an intent must have before the PSU may authorise it. */
const AWAITING = CONSENT_STATUS.awaitingAuthorisation;

function tlsAuthorized(ctx: KoaContextWithOIDC): boolean {
  return (ctx.socket as { authorized?: boolean }).authorized === true;
}

/**
 * oidc-provider configured as a UK OB ASPSP authorisation server: FAPI 1.0 Final, mTLS
 * (tls_client_auth and certificate-bound tokens), private_key_jwt, PS256 everywhere. Client
 * registration is not oidc-provider's (UK DCR takes a signed JWT body), so discovery advertises
 * the bank's own /register handler.
 */
export function createProvider({
  issuer,
  signingJwk,
  ledger,
  consents,
  storage,
  faults,
  quirks,
  accessTokenTtlSeconds = DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
  requestObjectAudience,
  hybridResponseInQuery = false,
  intentIdPrefix = '',
  appLinks = {},
  plainOAuth = false,
  discoveryServed = true,
  grantScope,
}: ProviderOptions): Provider {
  /** Authorisation requests whose request object's claims were checked (see below). */
  const requestObjectChecked = new WeakSet<object>();
  /**
   * FAPI 1.0 Advanced requires an ID token (or JARM) in the front channel; the plain `code` +
   * PKCE + query flow some banks also offer is served outside the FAPI profile.
   */
  const fapiProfile = (ctx: KoaContextWithOIDC): string | undefined => {
    const responseType = ctx.oidc?.params?.response_type ?? ctx.query?.response_type;
    return responseType === 'code' ? undefined : '1.0 Final';
  };

  /**
   * Beyond the FAPI checks (exp, nbf, aud): the intent named in the request object must be
   * this client's consent, waiting for the PSU.
   */
  const assertRequestObject = (
    ctx: KoaContextWithOIDC,
    claims: Record<string, unknown>,
    _header: unknown,
    client: { clientId: string },
  ): void => {
    if (ctx.oidc) requestObjectChecked.add(ctx.oidc);
    for (const claim of ['exp', 'aud', 'nbf'])
      if (claims[claim] === undefined)
        throw new errors.InvalidRequestObject(`Request Object is missing the '${claim}' claim`);
    const lifetime = Number(claims.exp) - Number(claims.nbf);
    if (!(lifetime > 0 && lifetime <= 3600))
      throw new errors.InvalidRequestObject("Request Object 'exp' claim too far from 'nbf' claim");
    const intentId = intentIdFromClaims(claims.claims, intentIdPrefix);
    if (!intentId)
      throw new errors.InvalidRequestObject(
        `Request Object must name the consent in claims.id_token.openbanking_intent_id.value${intentIdPrefix ? `, prefixed with '${intentIdPrefix}'` : ''}`,
      );
    const consent = consents.get(intentId);
    if (!consent || consent.clientId !== client.clientId)
      throw new errors.InvalidRequestObject(
        `openbanking_intent_id ${intentId} is not a consent of this client`,
      );
    if (consent.status !== AWAITING)
      throw new errors.InvalidRequestObject(
        `openbanking_intent_id ${intentId} is ${consent.status}, not ${AWAITING}`,
      );
    const appLink = appLinks[consent.kind];
    if (appLink && ctx.req.headers[APP_LINK_HEADER] !== appLink)
      throw new errors.InvalidRequestObject(
        `a ${consent.kind} consent is authorised only in the bank's app, through ${appLink}`,
      );
  };

  const provider = new Provider(issuer, {
    adapter: createMemoryAdapter(storage),
    jwks: { keys: [signingJwk] },
    clients: [],
    // Quirk authorisation.front.requiredScopes: the bank's own scopes (e.g. 'offline') are
    // known, so grants and refresh tokens keep them.
    scopes: [...new Set([...SUPPORTED_SCOPES, ...(grantScope?.values ?? [])])],
    claims: {
      openid: ['sub'],
      acr: null,
      auth_time: null,
      [INTENT_ID_CLAIM]: null,
      accounts: [],
      payments: [],
      fundsconfirmations: [],
    },
    acrValues: [SCA_ACR, 'urn:openbanking:psd2:ca'],
    clientAuthMethods: [...SUPPORTED_AUTH_METHODS],
    enabledJWA: {
      clientAuthSigningAlgValues: ['PS256'],
      idTokenSigningAlgValues: ['PS256'],
      requestObjectSigningAlgValues: ['PS256'],
      authorizationSigningAlgValues: ['PS256'],
    },
    responseTypes: ['code id_token', 'code'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      id_token_signed_response_alg: 'PS256',
      response_types: ['code id_token'],
      token_endpoint_auth_method: 'private_key_jwt',
      // oidc-provider refuses a request without openid for a client that requires auth_time.
      require_auth_time: !plainOAuth,
    },
    // The consent of a plain OAuth 2 request, set only by the front door.
    ...(plainOAuth ? { extraParams: [FRONT_CONSENT_PARAM] } : {}),
    extraClientMetadata: { properties: ['software_id', 'software_statement', 'software_roles'] },
    features: {
      devInteractions: { enabled: false },
      fapi: { enabled: true, profile: fapiProfile },
      claimsParameter: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: false },
      revocation: { enabled: true },
      requestObjects: {
        enabled: true,
        // A bank without OpenID Connect takes no request object (the front door checks the
        // consent named instead); every other bank requires one.
        requireSignedRequestObject: !plainOAuth,
        assertJwtClaimsAndHeader: assertRequestObject,
      },
      mTLS: {
        enabled: true,
        certificateBoundAccessTokens: true,
        tlsClientAuth: true,
        selfSignedTlsClientAuth: false,
        getCertificate: (ctx: KoaContextWithOIDC) => peerCertificate(ctx.req),
        certificateAuthorized: tlsAuthorized,
        certificateSubjectMatches: (
          ctx: KoaContextWithOIDC,
          property: string,
          expected: string,
        ) => {
          const cert = peerCertificate(ctx.req);
          return (
            property === 'tls_client_auth_subject_dn' &&
            cert !== undefined &&
            subjectDnMatches(expected, cert)
          );
        },
      },
    },
    discovery: { registration_endpoint: `${issuer}/register` },
    interactions: {
      url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) =>
        `/interaction/${interaction.uid}`,
    },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // The PSU logs in as the consent: sub and openbanking_intent_id are both the intent id.
    findAccount: async (_ctx: KoaContextWithOIDC, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, [INTENT_ID_CLAIM]: sub }),
    }),
    pkce: {
      required: (ctx: KoaContextWithOIDC) => ctx.oidc?.params?.response_type === 'code',
    },
    // UK banks issue refresh tokens without offline_access; they outlive the PSU's bank session.
    issueRefreshToken: async (
      _ctx: KoaContextWithOIDC,
      client: { grantTypeAllowed(t: string): boolean },
    ) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    rotateRefreshToken: true,
    // The resource server ties a token to its consent through this claim.
    extraTokenClaims: async (
      _ctx: KoaContextWithOIDC,
      token: { kind?: string; accountId?: string },
    ) =>
      token.kind === 'AccessToken' && token.accountId
        ? { [INTENT_ID_CLAIM]: token.accountId }
        : undefined,
    // FAPI access tokens are short-lived; the connector's token cache is tested against this.
    ttl: {
      ClientCredentials: 600,
      AccessToken: accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 30 * 24 * 3600,
      Grant: 30 * 24 * 3600,
      Interaction: 3600,
      Session: 3600,
    },
  });

  // Registered before the faults, so it runs after them: a fault test sees the quirky bank's
  // tokens with the fault on top.
  if (quirks?.omitsDiscoveryMembers || !discoveryServed) {
    provider.use(async (ctx, next) => {
      await next();
      if (
        ctx.path === '/.well-known/openid-configuration' &&
        ctx.status === 200 &&
        isRecord(ctx.body)
      ) {
        const served = quirks ? quirks.discoveryDocument(ctx.body) : ctx.body;
        if (discoveryServed) ctx.body = served;
        else {
          // Quirk discovery.served false: a plain OAuth 2 server publishes no document.
          ctx.status = 404;
          ctx.body = { error: 'not_found', error_description: 'no such resource' };
        }
      }
    });
  }

  if (grantScope?.required) {
    provider.use(async (ctx, next) => {
      await next();
      const body = (ctx.oidc as { body?: Record<string, unknown> } | undefined)?.body;
      const grantType = body?.grant_type;
      if (
        ctx.path !== '/token' ||
        ctx.status !== 200 ||
        (grantType !== 'authorization_code' && grantType !== 'refresh_token')
      )
        return;
      const scope = typeof body?.scope === 'string' ? body.scope.split(' ') : [];
      const missing =
        scope.length === 0 ? ['scope'] : grantScope.values.filter((v) => !scope.includes(v));
      if (missing.length === 0) return;
      // The grant was used all the same: the connector must authorise again, as with a real bank.
      ctx.status = 400;
      ctx.body = {
        error: 'invalid_request',
        error_description: `this bank wants the scope (${grantScope.values.join(' ') || 'any'}) in the ${String(grantType)} grant; missing: ${missing.join(' ')}`,
      };
    });
  }

  if (quirks?.active) {
    provider.use(async (ctx, next) => {
      await next();
      const location = ctx.response.get('location');
      if (ctx.status >= 300 && ctx.status < 400 && location.includes('id_token='))
        ctx.set('location', await quirks.authorisationRedirect(location));
      if (ctx.path === '/token' && ctx.status === 200 && isRecord(ctx.body))
        ctx.body = await quirks.tokenResponse(ctx.body);
    });
  }

  if (faults) {
    provider.use(async (ctx, next) => {
      await next();
      const location = ctx.response.get('location');
      if (ctx.status >= 300 && ctx.status < 400 && location.includes('id_token='))
        ctx.set('location', await faults.rewriteAuthorisationRedirect(location));
      if (ctx.path === '/token' && ctx.status === 200 && isRecord(ctx.body))
        ctx.body = await faults.rewriteTokenResponse(ctx.body);
    });
  }

  provider.on('grant.success', (ctx) => {
    const grantType = ctx.oidc?.params?.grant_type;
    const account = (ctx.oidc as { account?: { accountId?: string } } | undefined)?.account;
    ledger.record({
      type: 'token.granted',
      clientId: ctx.oidc?.client?.clientId,
      grantType: typeof grantType === 'string' ? grantType : 'unknown',
      ...(account?.accountId ? { consentId: account.accountId } : {}),
    });
    const body = (ctx.body ?? {}) as Record<string, unknown>;
    for (const kind of ['access_token', 'refresh_token', 'id_token'])
      ledger.recordIssued(kind, body[kind]);
  });
  if (requestObjectAudience !== undefined || hybridResponseInQuery)
    useQuirkyContext(
      provider,
      { requestObjectAudience, hybridResponseInQuery },
      requestObjectChecked,
    );
  return provider;
}

/** Quirk authorisation.hybridResponseInQuery: the response mode that serves it. */
const HYBRID_QUERY_MODE = 'query.hybrid';

/**
 * The authorisation quirks oidc-provider has no setting for, through its per-request context.
 *
 * requestObjectAudience: oidc-provider checks a request object's `aud` against
 * `ctx.oidc.issuer`, read once, just before it calls assertJwtClaimsAndHeader (which marks the
 * request as checked). So, on the authorisation endpoint and only until then, the request's
 * issuer reads as the bank's request-object audience: a request object must carry exactly that
 * `aud` (the issuer is refused); everything after (interaction cookies, ID tokens, discovery,
 * other endpoints) sees the real issuer.
 *
 * hybridResponseInQuery: oidc-provider refuses response_mode=query for a response type with an
 * ID token (OIDC says fragment), which some banks answer in the query all the same. Such a request
 * gets a response mode of its own that writes the query like oidc-provider's 'query' mode.
 */
function useQuirkyContext(
  provider: Provider,
  quirks: { requestObjectAudience?: string; hybridResponseInQuery?: boolean },
  checked: WeakSet<object>,
): void {
  type Context = new (ctx: unknown) => {
    route?: string;
    params?: Record<string, unknown>;
    get issuer(): string;
    get responseMode(): string | undefined;
  };
  const Base = (provider as unknown as { OIDCContext: Context }).OIDCContext;
  const { requestObjectAudience: audience, hybridResponseInQuery } = quirks;
  class QuirkyContext extends Base {
    override get issuer(): string {
      return audience !== undefined && this.route === 'authorization' && !checked.has(this)
        ? audience
        : super.issuer;
    }

    override get responseMode(): string | undefined {
      const mode = super.responseMode;
      const responseType = this.params?.response_type;
      return hybridResponseInQuery &&
        mode === 'query' &&
        typeof responseType === 'string' &&
        responseType.split(' ').includes('id_token')
        ? HYBRID_QUERY_MODE
        : mode;
    }
  }
  Object.defineProperty(provider, 'OIDCContext', { value: QuirkyContext });
  if (hybridResponseInQuery)
    (
      provider as unknown as {
        registerResponseMode(
          name: string,
          handler: (ctx: KoaContextWithOIDC, uri: string, payload: Record<string, unknown>) => void,
        ): void;
      }
    ).registerResponseMode(
      HYBRID_QUERY_MODE,
      (ctx: KoaContextWithOIDC, redirectUri: string, payload: Record<string, unknown>) => {
        const url = new URL(redirectUri);
        for (const [key, value] of Object.entries(payload))
          if (value !== undefined) url.searchParams.set(key, String(value));
        ctx.status = 303;
        (ctx as unknown as { redirect(url: string): void }).redirect(url.href);
      },
    );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}
