import { Injectable, Logger, Optional } from '@nestjs/common';
import { BankHttpClient } from '@obc/bank-http';
import { BankCallError, Clock } from '@obc/common';
import { ClientAuthenticator } from './client-authentication';
import { ClientContext } from './client-context';
import { ConsentGrantError } from './consent-grant.error';
import {
  DEFAULT_TOKEN_MANAGEMENT_SETTINGS,
  TokenManagementSettings,
} from './token-management.settings';
import { NoopTokenMetrics, TokenMetrics } from './token-metrics';
import { parseTokenResponse, TokenGrant } from './token-response';
import { TokenSet } from './token-set';

export interface AuthorisationCodeGrant {
  code: string;
  redirectUri: string;
  /** The PKCE verifier, when the authorisation request carried a code challenge. */
  codeVerifier?: string;
  /** Sent as `scope` when given (profile quirk tokenEndpoint.scopeInConsentGrants). */
  scope?: string;
}

interface CachedToken {
  token: string;
  expiresAtMs: number;
}

/**
 * Token endpoint grants. Client-credentials tokens are cached per registration and scope until shortly before they expire.
 * Concurrent callers for one key share the one in-flight request (single flight); a failure is
 * handed to every waiter and not cached. Tokens live only in memory here and are never logged.
 */
@Injectable()
export class TokenService {
  private readonly logger = new Logger(TokenService.name);
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<string>>();
  /** Bumped by invalidate(): an answer requested before it must not be cached after it. */
  private readonly generations = new Map<string, number>();
  private readonly settings: TokenManagementSettings;
  private readonly metrics: TokenMetrics;

  constructor(
    private readonly http: BankHttpClient,
    private readonly authenticator: ClientAuthenticator,
    private readonly clock: Clock,
    @Optional() settings?: TokenManagementSettings,
    @Optional() metrics?: TokenMetrics,
  ) {
    this.settings = settings ?? DEFAULT_TOKEN_MANAGEMENT_SETTINGS;
    this.metrics = metrics ?? new NoopTokenMetrics();
  }

  async getClientCredentialsToken(client: ClientContext, scope: string): Promise<string> {
    const key = cacheKey(client.registrationId, scope);
    const cached = this.cache.get(key);
    if (cached && cached.expiresAtMs > this.clock.nowMs()) {
      this.metrics.cacheHit('client-credentials');
      return cached.token;
    }
    if (cached) this.cache.delete(key);
    const pending = this.inFlight.get(key);
    if (pending) {
      this.metrics.cacheHit('client-credentials');
      return pending;
    }
    this.metrics.cacheMiss('client-credentials');
    const request = this.fetch(client, scope, key, this.generationOf(client.registrationId));
    this.inFlight.set(key, request);
    // Whatever the outcome, the next caller starts afresh (failures are not cached).
    const clear = (): void => {
      if (this.inFlight.get(key) === request) this.inFlight.delete(key);
    };
    request.then(clear, clear);
    return request;
  }

  /** Forget every token of a registration (e.g. after the bank rejected one, or on delete). */
  invalidate(registrationId: string): void {
    const prefix = cacheKey(registrationId, '');
    for (const key of [...this.cache.keys()]) if (key.startsWith(prefix)) this.cache.delete(key);
    // A request still in flight must not repopulate the cache, nor be joined by new callers.
    for (const key of [...this.inFlight.keys()])
      if (key.startsWith(prefix)) this.inFlight.delete(key);
    this.generations.set(registrationId, this.generationOf(registrationId) + 1);
  }

  private generationOf(registrationId: string): number {
    return this.generations.get(registrationId) ?? 0;
  }

  /**
   * Exchanges the code from the PSU's authorisation for the consent's tokens. Not cached: the
   * caller stores them (ConsentTokenService). A used or stale code → ConsentGrantError.
   */
  async exchangeAuthorisationCode(
    client: ClientContext,
    grant: AuthorisationCodeGrant,
  ): Promise<TokenSet> {
    const params: Record<string, string> = {
      grant_type: 'authorization_code',
      code: grant.code,
      redirect_uri: grant.redirectUri,
    };
    if (grant.codeVerifier !== undefined) params.code_verifier = grant.codeVerifier;
    if (grant.scope !== undefined) params.scope = grant.scope;
    return toTokenSet(await this.consentGrant(client, 'token.authorization-code', params));
  }

  /**
   * Renews a consent's access token; a refused refresh token → ConsentGrantError. `scope` is
   * sent when given (profile quirk tokenEndpoint.scopeInConsentGrants).
   */
  async refreshGrant(
    client: ClientContext,
    refreshToken: string,
    scope?: string,
  ): Promise<TokenSet> {
    return toTokenSet(
      await this.consentGrant(client, 'token.refresh', {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        ...(scope !== undefined ? { scope } : {}),
      }),
    );
  }

  private async consentGrant(
    client: ClientContext,
    endpoint: string,
    params: Record<string, string>,
  ): Promise<TokenGrant> {
    try {
      return await this.requestToken(client, endpoint, params);
    } catch (error) {
      if (isInvalidGrant(error)) {
        throw new ConsentGrantError(
          `The token endpoint of bank profile '${client.profileId}' refused the grant (invalid_grant): the PSU must authorise the consent again.`,
          error,
        );
      }
      throw error;
    }
  }

  /** One token endpoint call with the registration's client authentication. */
  private async requestToken(
    client: ClientContext,
    endpoint: string,
    params: Record<string, string>,
  ): Promise<TokenGrant> {
    const auth = await this.authenticator.authenticate(client);
    const form = new URLSearchParams({ ...params, ...auth.form });
    const res = await this.http.request<unknown>({
      profileId: client.profileId,
      endpoint,
      method: 'POST',
      url: client.tokenEndpoint,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        ...auth.headers,
      },
      body: form.toString(),
      transport: client.transport,
      trustedCaPem: client.trustedCaPem,
      financialId: client.financialId,
      expectStatus: [200],
    });
    return parseTokenResponse(res.data, client.profileId);
  }

  private async fetch(
    client: ClientContext,
    scope: string,
    key: string,
    generation: number,
  ): Promise<string> {
    const requestedAtMs = this.clock.nowMs();
    const grant = await this.requestToken(client, 'token.client-credentials', {
      grant_type: 'client_credentials',
      scope,
    });
    const stillWanted = this.generationOf(client.registrationId) === generation;
    if (grant.expiresInSeconds !== undefined && stillWanted) {
      // Count the lifetime from when we asked, not when we heard back: the bank started its clock first.
      const lifetimeMs = (grant.expiresInSeconds - this.settings.earlyExpirySeconds) * 1000;
      if (lifetimeMs > 0)
        this.cache.set(key, { token: grant.accessToken, expiresAtMs: requestedAtMs + lifetimeMs });
    } else if (grant.expiresInSeconds === undefined) {
      this.logger.warn(
        `token response without expires_in from profile=${client.profileId}; not cached`,
      );
    }
    this.pruneExpired();
    return grant.accessToken;
  }

  private pruneExpired(): void {
    const now = this.clock.nowMs();
    for (const [key, entry] of this.cache) if (entry.expiresAtMs <= now) this.cache.delete(key);
  }
}

function cacheKey(registrationId: string, scope: string): string {
  return `${registrationId}\u0000${scope}`;
}

function toTokenSet(grant: TokenGrant): TokenSet {
  const set: TokenSet = { accessToken: grant.accessToken, tokenType: 'Bearer' };
  if (grant.refreshToken !== undefined) set.refreshToken = grant.refreshToken;
  if (grant.idToken !== undefined) set.idToken = grant.idToken;
  if (grant.expiresInSeconds !== undefined) set.expiresIn = grant.expiresInSeconds;
  if (grant.scope !== undefined) set.scope = grant.scope;
  return set;
}

/** RFC 6749 §5.2: the bank answered 400 with `error: invalid_grant`. */
function isInvalidGrant(error: unknown): boolean {
  if (!(error instanceof BankCallError) || !error.bank) return false;
  const body = error.bank.body;
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as Record<string, unknown>).error === 'invalid_grant'
  );
}
