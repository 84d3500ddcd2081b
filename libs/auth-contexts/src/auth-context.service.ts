import { Injectable, Logger } from '@nestjs/common';
import { Clock, RandomSource } from '@obc/common';
import { ConnectorConfig } from '@obc/config';
import { consentScope, type AuthorisationQuirks } from '@obc/bank-profiles';
import {
  buildAuthorisationUrl,
  buildOAuth2AuthorisationUrl,
  buildRequestObject,
  createPkcePair,
  KeyStore,
  withQuery,
  type PkcePair,
} from '@obc/fapi';
import { SecretCipher } from '@obc/persistence';
import { DiscoveryService } from '@obc/token-management';
import { AUTH_CONTEXT_TABLE, AuthContextEntity } from './auth-context.entity';
import {
  ConsentNotAwaitingAuthorisationError,
  NoAuthorizationEndpointError,
  RedirectUriNotRegisteredError,
} from './auth-context.errors';
import { AuthContextRepository } from './auth-context.repository';
import { discoveryRequestFor } from './bank-discovery';
import { ConsentAuthorisationRegistry } from './consent-authorisation.registry';

/** The status in v3.1 words and the v4.0 ISO 20022 code: a consent the PSU may authorise. */
export const AWAITING_AUTHORISATION_STATUSES: readonly string[] = ['AwaitingAuthorisation', 'AWAU'];
/** 32 random bytes: 256 bits, unguessable, since the state alone admits a redirect. */
const STATE_BYTES = 32;

export interface CreateAuthContextInput {
  consentType: string;
  /** The connector's consent id. */
  consentId: string;
  /** One of the registration's redirect URIs; its default when absent. */
  redirectUri?: string;
  appSessionId?: string;
  createdBy: string | null;
  reference?: string | null;
}

export interface CreatedAuthContext {
  id: string;
  created: Date;
  createdBy: string | null;
  reference: string | null;
  /** Where to send the PSU's browser. */
  authUrl: string;
  state: string;
  expiresAt: Date;
}

/**
 * Starts the authorisation of a consent: a single-use context (random state and nonce, PKCE
 * where the bank takes it) and the bank's authorisation URL with a signed request object, or,
 * for a bank without OpenID Connect (profile quirk authorisation.protocol 'oauth2'), a plain
 * OAuth 2 code request naming the consent in the parameter the profile names.
 */
@Injectable()
export class AuthContextService {
  private readonly logger = new Logger(AuthContextService.name);

  constructor(
    private readonly registry: ConsentAuthorisationRegistry,
    private readonly repository: AuthContextRepository,
    private readonly discovery: DiscoveryService,
    private readonly keys: KeyStore,
    private readonly cipher: SecretCipher,
    private readonly config: ConnectorConfig,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  async create(input: CreateAuthContextInput): Promise<CreatedAuthContext> {
    const target = this.registry.get(input.consentType);
    const consent = await target.describe(input.consentId);
    if (!AWAITING_AUTHORISATION_STATUSES.includes(consent.status)) {
      throw new ConsentNotAwaitingAuthorisationError(input.consentId, consent.status);
    }
    const redirectUri = input.redirectUri ?? consent.defaultRedirectUri;
    if (input.redirectUri !== undefined && !consent.redirectUris.includes(input.redirectUri)) {
      throw new RedirectUriNotRegisteredError(input.redirectUri, consent.redirectUris);
    }
    const { client, profile } = consent;
    const quirks = profile.quirks.authorisation;
    const metadata = await this.discovery.getMetadata(discoveryRequestFor(profile, client));
    // Profile quirk authorisationEndpointByConsentType: e.g. a payment consent authorised only in
    // the bank's app, through a deep link; the request object is the same either way.
    const endpoint =
      quirks.authorisationEndpointByConsentType?.[target.consentType] ??
      metadata.authorization_endpoint;
    if (!endpoint) throw new NoAuthorizationEndpointError(profile.id);

    const state = this.random.token(STATE_BYTES);
    const nonce = this.random.token(STATE_BYTES);
    const pkce: PkcePair | undefined = quirks.pkce ? createPkcePair(this.random) : undefined;
    // One scope for the authorisation and the consent's grants: openid (unless plain OAuth 2),
    // the consent type's OB scope and the profile's additionalScopes.
    const scope = consentScope(profile.quirks, target.consentType);
    let authUrl: string;
    if (quirks.protocol === 'oauth2') {
      // Profile quirk authorisation.protocol 'oauth2': a plain OAuth 2 code request. The nonce
      // is still stored but never sent: no ID token will carry it.
      authUrl = buildOAuth2AuthorisationUrl(
        endpoint,
        {
          clientId: client.clientId,
          redirectUri,
          scope,
          state,
          codeChallenge: pkce?.challenge,
          responseMode: quirks.responseMode === 'fragment' ? 'fragment' : undefined,
          extraParameters: quirks.extraParameters,
          consent: { parameter: consentIdParameterOf(quirks, profile.id), id: consent.intentId },
        },
        quirks.base64QueryParameter,
      );
    } else {
      // The default mode of a response type needs no parameter; only a non-default one is sent.
      const responseMode = quirks.responseMode === 'query' ? 'query' : undefined;
      const request = await buildRequestObject({
        clientId: client.clientId,
        issuer: metadata.issuer,
        audience: quirks.requestObjectAudience,
        responseType: quirks.responseType,
        redirectUri,
        scope,
        state,
        nonce,
        intentId: consent.intentId,
        intentIdPrefix: quirks.intentIdPrefix,
        acrValues: quirks.acrValues,
        codeChallenge: pkce?.challenge,
        responseMode,
        signingKey: {
          kid: client.signingKey.kid,
          privateKey: this.keys.privateKey(client.signingKey.privateKeyPem),
        },
        clock: this.clock,
        random: this.random,
      });
      const redundant = quirks.redundantQueryParams;
      authUrl = withProfileParameters(
        buildAuthorisationUrl(endpoint, {
          clientId: client.clientId,
          request,
          responseType: quirks.responseType,
          scope,
          redirectUri: redundant ? redirectUri : undefined,
          state: redundant ? state : undefined,
          nonce: redundant ? nonce : undefined,
          responseMode: redundant ? responseMode : undefined,
          codeChallenge: redundant ? pkce?.challenge : undefined,
        }),
        quirks,
      );
    }

    const entity = new AuthContextEntity();
    entity.id = this.random.uuid();
    entity.createdBy = input.createdBy;
    entity.reference = input.reference ?? null;
    entity.consentType = target.consentType;
    entity.consentId = input.consentId;
    entity.state = state;
    entity.nonce = nonce;
    entity.codeVerifier = pkce
      ? await this.cipher.encrypt(pkce.verifier, {
          table: AUTH_CONTEXT_TABLE,
          rowId: entity.id,
          column: 'codeVerifier',
        })
      : null;
    entity.redirectUri = redirectUri;
    entity.responseMode = quirks.responseMode;
    entity.appSessionId = input.appSessionId ?? null;
    entity.expiresAt = new Date(this.clock.nowMs() + this.config.authContexts.ttlSeconds * 1000);
    entity.consumedAt = null;
    const saved = await this.repository.insert(entity);
    this.logger.log(
      `auth context ${saved.id} created for ${saved.consentType} consent ${saved.consentId}`,
    );
    return {
      id: saved.id,
      created: saved.created,
      createdBy: saved.createdBy,
      reference: saved.reference,
      authUrl,
      state,
      expiresAt: saved.expiresAt,
    };
  }
}

/**
 * The profile's quirks.authorisation.consentIdParameter. The schema requires it with protocol
 * 'oauth2'; a hand-built profile without it cannot name its consent, so it is refused here.
 */
function consentIdParameterOf(quirks: AuthorisationQuirks, profileId: string): string {
  if (quirks.consentIdParameter === undefined)
    throw new Error(
      `bank profile '${profileId}' has quirks.authorisation.protocol 'oauth2' without consentIdParameter`,
    );
  return quirks.consentIdParameter;
}

/**
 * Profile quirks extraParameters (added to the query) and base64QueryParameter (the whole query
 * in that one parameter) on an OpenID Connect authorisation URL.
 */
function withProfileParameters(authUrl: string, quirks: AuthorisationQuirks): string {
  const extra = Object.entries(quirks.extraParameters ?? {});
  if (extra.length === 0 && quirks.base64QueryParameter === undefined) return authUrl;
  const url = new URL(authUrl);
  for (const [name, value] of extra)
    if (!url.searchParams.has(name)) url.searchParams.set(name, value);
  const pairs = [...url.searchParams] as [string, string][];
  // Not origin + pathname: an app deep link (bankapp://...) has no origin.
  url.search = '';
  return withQuery(url.toString(), pairs, quirks.base64QueryParameter);
}
