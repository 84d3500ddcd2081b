import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@obc/common';
import { IdTokenValidator, type IdTokenExpectations } from '@obc/fapi';
import { SecretCipher } from '@obc/persistence';
import {
  ConsentTokenService,
  DiscoveryService,
  requireJwksUri,
  TokenService,
  type OpenIdMetadata,
  type TokenSet,
} from '@obc/token-management';
import {
  ID_TOKEN_ISSUER_REQUEST_OBJECT_AUDIENCE,
  type BankQuirks,
  type ConsentType,
} from '@obc/bank-profiles';
import { AUTH_CONTEXT_TABLE, type AuthContextEntity } from '../auth-context.entity';
import {
  BankAuthorisationError,
  IssuerMismatchError,
  MissingRedirectParameterError,
  StateExpiredError,
  UnknownStateError,
} from '../auth-context.errors';
import { AuthContextRepository } from '../auth-context.repository';
import { discoveryRequestFor } from '../bank-discovery';
import type { ConsentDescription } from '../consent-authorisation-target';
import { ConsentAuthorisationRegistry } from '../consent-authorisation.registry';

/** The parameters of the bank's redirect, as forwarded by the caller's front end. */
export interface RedirectParameters {
  state: string;
  code?: string;
  id_token?: string;
  error?: string;
  error_description?: string;
  /** RFC 9207 issuer identifier, when the bank sends one. */
  iss?: string;
  response_mode?: string;
}

export interface AuthorisedConsent {
  consentType: ConsentType;
  consentId: string;
}

/**
 * Completes an authorisation from the bank's redirect: redeems the state once, checks the ID
 * token(s), exchanges the code and only then stores the tokens and tells the feature module.
 * Any failure leaves nothing stored (the state stays used: a new authorisation is needed).
 */
@Injectable()
export class RedirectDelegateService {
  private readonly logger = new Logger(RedirectDelegateService.name);

  constructor(
    private readonly registry: ConsentAuthorisationRegistry,
    private readonly repository: AuthContextRepository,
    private readonly discovery: DiscoveryService,
    private readonly idTokens: IdTokenValidator,
    private readonly tokens: TokenService,
    private readonly consentTokens: ConsentTokenService,
    private readonly cipher: SecretCipher,
    private readonly clock: Clock,
  ) {}

  async complete(params: RedirectParameters): Promise<AuthorisedConsent> {
    const context = await this.redeem(params.state);
    const ref = { consentType: context.consentType, consentId: context.consentId };
    try {
      await this.authorise(context, params);
    } catch (e: unknown) {
      const code = e instanceof Error && 'code' in e ? String(e.code) : 'internal/error';
      this.logger.warn(`auth context ${context.id} failed: ${code}`);
      throw e;
    }
    this.logger.log(
      `auth context ${context.id}: ${ref.consentType} consent ${ref.consentId} authorised`,
    );
    return ref;
  }

  /** Single use across replicas: the conditional UPDATE decides; unknown and replayed look alike. */
  private async redeem(state: string): Promise<AuthContextEntity> {
    const now = this.clock.now();
    const context = await this.repository.consume(state, now);
    if (!context) throw new UnknownStateError();
    if (context.expiresAt.getTime() <= now.getTime()) {
      this.logger.warn(`auth context ${context.id} redeemed after expiry`);
      throw new StateExpiredError();
    }
    return context;
  }

  private async authorise(context: AuthContextEntity, params: RedirectParameters): Promise<void> {
    if (params.error !== undefined) {
      throw new BankAuthorisationError(params.error, params.error_description);
    }
    const target = this.registry.get(context.consentType);
    const consent = await target.describe(context.consentId);
    const { client, profile } = consent;
    const quirks = profile.quirks;
    if (params.code === undefined) throw new MissingRedirectParameterError('code');
    const metadata = await this.discovery.getMetadata(discoveryRequestFor(profile, client));
    if (params.iss !== undefined && params.iss !== metadata.issuer) {
      throw new IssuerMismatchError();
    }

    // Profile quirk authorisation.protocol 'oauth2': a bank without OpenID Connect sends no ID
    // token, at the redirect or the token endpoint; none is required, and one sent anyway is
    // neither checked nor kept. What stands instead: the single-use state (redeemed above), the
    // issuer parameter when sent, PKCE and the client authentication of the code exchange.
    const openIdConnect = quirks.authorisation.protocol !== 'oauth2';
    if (openIdConnect && quirks.authorisation.responseType === 'code id_token') {
      if (params.id_token === undefined) throw new MissingRedirectParameterError('id_token');
      await this.idTokens.validate(params.id_token, {
        ...this.expectations(context, consent, metadata),
        source: 'authorisation',
        code: params.code,
        state: params.state,
      });
    }
    const codeVerifier =
      context.codeVerifier === null
        ? undefined
        : await this.cipher.decrypt(context.codeVerifier, {
            table: AUTH_CONTEXT_TABLE,
            rowId: context.id,
            column: 'codeVerifier',
          });
    const exchanged = await this.tokens.exchangeAuthorisationCode(client, {
      code: params.code,
      redirectUri: context.redirectUri,
      codeVerifier,
      ...(client.consentGrantScopes?.[context.consentType] !== undefined
        ? { scope: client.consentGrantScopes[context.consentType] }
        : {}),
    });
    const tokens = openIdConnect ? exchanged : withoutIdToken(exchanged);
    if (tokens.idToken !== undefined) {
      await this.idTokens.validate(tokens.idToken, {
        ...this.expectations(context, consent, metadata),
        source: 'token',
        accessToken: tokens.accessToken,
      });
    }
    await this.consentTokens.store(
      { consentType: context.consentType, consentId: context.consentId },
      withoutUnusableRefreshToken(tokens, context.consentType, quirks),
    );
    await target.onAuthorised(context.consentId);
  }

  private expectations(
    context: AuthContextEntity,
    consent: ConsentDescription,
    metadata: OpenIdMetadata,
  ): Omit<IdTokenExpectations, 'source'> {
    return {
      profileId: consent.profile.id,
      issuer: expectedIdTokenIssuer(consent.profile.quirks, metadata.issuer),
      clientId: consent.client.clientId,
      jwksUri: requireJwksUri(metadata, `bank profile '${consent.profile.id}' metadata`),
      trustedCaPem: consent.client.trustedCaPem,
      nonce: context.nonce,
      intentId: consent.intentId,
      ...(consent.profile.quirks.authorisation.intentIdPrefix !== undefined
        ? { intentIdPrefix: consent.profile.quirks.authorisation.intentIdPrefix }
        : {}),
      quirks: consent.profile.quirks.idToken,
    };
  }
}

/**
 * Profile quirk `idToken.issuer`: the `iss` the bank's ID tokens carry when it is not the
 * discovery issuer (NatWest Group writes its request-object audience). Still one exact value:
 * the validator compares it like the standard issuer, never skipping the check.
 */
export function expectedIdTokenIssuer(quirks: BankQuirks, discoveryIssuer: string): string {
  const issuer = quirks.idToken.issuer;
  if (issuer === undefined) return discoveryIssuer;
  if (issuer !== ID_TOKEN_ISSUER_REQUEST_OBJECT_AUDIENCE) return issuer;
  // The schema requires requestObjectAudience with this value; a hand-built profile without it
  // falls back to nothing looser than the discovery issuer.
  return quirks.authorisation.requestObjectAudience ?? discoveryIssuer;
}

/** Protocol 'oauth2': an ID token the bank sends anyway was not asked for; it is not kept. */
function withoutIdToken(tokens: TokenSet): TokenSet {
  const { idToken: _unasked, ...rest } = tokens;
  return rest;
}

/**
 * Profile quirk `tokenEndpoint.noRefreshTokenForPayments`: the bank gives payment (and VRP)
 * consents no usable refresh token. Whatever it sends is not stored, so an expired access token
 * asks for a new authorisation at once instead of a refresh the bank would refuse.
 */
function withoutUnusableRefreshToken(
  tokens: TokenSet,
  consentType: string,
  quirks: BankQuirks,
): TokenSet {
  if (!quirks.tokenEndpoint.noRefreshTokenForPayments || consentType === 'account-access')
    return tokens;
  const { refreshToken: _ignored, ...rest } = tokens;
  return rest;
}
