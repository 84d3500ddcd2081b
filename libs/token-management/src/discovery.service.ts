import { Injectable, Logger, Optional } from '@nestjs/common';
import { BankHttpClient, BankTransport } from '@obc/bank-http';
import { Clock, DomainError } from '@obc/common';
import { OpenIdMetadata, parseOpenIdMetadata } from './openid-metadata';
import {
  DEFAULT_TOKEN_MANAGEMENT_SETTINGS,
  TokenManagementSettings,
} from './token-management.settings';
import { NoopTokenMetrics, TokenMetrics } from './token-metrics';

export interface DiscoveryRequest {
  profileId: string;
  issuerUrl: string;
  /** Explicit well-known URL, for banks that do not serve it under the issuer (a discovery quirk). */
  wellKnownUrl?: string;
  trustedCaPem?: string;
  /** Some banks serve discovery only over mTLS. */
  transport?: BankTransport;
  /**
   * Profile `discovery.metadataOverrides`: members the bank omits or gets wrong, applied over
   * its document before validation.
   */
  metadataOverrides?: Record<string, unknown>;
  /** Profile `discovery.acceptIssuerMismatch`: use a document whose issuer differs from ours. */
  acceptIssuerMismatch?: boolean;
  /**
   * Profile `discovery.mode`: 'fetch' (default) or 'none', the bank publishes no document and
   * `metadataOverrides` are the whole metadata (nothing is fetched).
   */
  mode?: 'fetch' | 'none';
  /**
   * Profile `quirks.authorisation.protocol` 'oauth2': no ID tokens to check, so metadata
   * without a jwks_uri is usable (only with mode 'none'; a fetched document must have one).
   */
  jwksUriOptional?: boolean;
}

interface CachedMetadata {
  url: string;
  metadata: OpenIdMetadata;
  expiresAtMs: number;
}

export function wellKnownUrlFor(req: Pick<DiscoveryRequest, 'issuerUrl' | 'wellKnownUrl'>): string {
  return (
    req.wellKnownUrl ?? `${req.issuerUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`
  );
}

/**
 * A bank's OpenID configuration, fetched through the one HTTP layer, validated and cached per
 * profile. Concurrent callers share one fetch; a failed fetch is not cached.
 */
@Injectable()
export class DiscoveryService {
  private readonly logger = new Logger(DiscoveryService.name);
  private readonly cache = new Map<string, CachedMetadata>();
  private readonly inFlight = new Map<string, Promise<OpenIdMetadata>>();
  private readonly settings: TokenManagementSettings;
  private readonly metrics: TokenMetrics;

  constructor(
    private readonly http: BankHttpClient,
    private readonly clock: Clock,
    @Optional() settings?: TokenManagementSettings,
    @Optional() metrics?: TokenMetrics,
  ) {
    this.settings = settings ?? DEFAULT_TOKEN_MANAGEMENT_SETTINGS;
    this.metrics = metrics ?? new NoopTokenMetrics();
  }

  async getMetadata(req: DiscoveryRequest): Promise<OpenIdMetadata> {
    if (req.mode === 'none') return profileMetadata(req);
    const url = wellKnownUrlFor(req);
    // Keyed by profile and URL, so an override of the URL takes effect at once.
    const key = `${req.profileId}\u0000${url}`;
    const cached = this.cache.get(key);
    if (cached && cached.expiresAtMs > this.clock.nowMs()) {
      this.metrics.cacheHit('discovery');
      return cached.metadata;
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    this.metrics.cacheMiss('discovery');
    const fetching = this.fetch(req, url, key);
    this.inFlight.set(key, fetching);
    const clear = (): void => {
      if (this.inFlight.get(key) === fetching) this.inFlight.delete(key);
    };
    fetching.then(clear, clear);
    return fetching;
  }

  invalidate(profileId: string): void {
    const prefix = `${profileId}\u0000`;
    for (const key of [...this.cache.keys()]) if (key.startsWith(prefix)) this.cache.delete(key);
  }

  private async fetch(req: DiscoveryRequest, url: string, key: string): Promise<OpenIdMetadata> {
    const res = await this.http.request<unknown>({
      profileId: req.profileId,
      endpoint: 'discovery',
      method: 'GET',
      url,
      transport: req.transport,
      trustedCaPem: req.trustedCaPem,
      expectStatus: [200],
    });
    const metadata = parseOpenIdMetadata(withOverrides(res.data, req.metadataOverrides), url);
    if (stripSlash(metadata.issuer) !== stripSlash(req.issuerUrl)) {
      if (!req.acceptIssuerMismatch) throw issuerMismatch(req, metadata.issuer, url);
      // A documented quirk of this bank; ID-token checks use the metadata's issuer.
      this.logger.warn(
        `profile=${req.profileId} discovery issuer ${metadata.issuer} differs from configured ${req.issuerUrl} (accepted by the profile)`,
      );
    }
    this.cache.set(key, {
      url,
      metadata,
      expiresAtMs: this.clock.nowMs() + this.settings.discoveryCacheSeconds * 1000,
    });
    return metadata;
  }
}

/**
 * Profile discovery.mode 'none': the profile's members are the whole metadata (a bank that
 * publishes no discovery document, e.g. a plain OAuth 2 server). Checked like a fetched
 * document; its issuer is the profile's own, so there is nothing to compare it with.
 */
function profileMetadata(req: DiscoveryRequest): OpenIdMetadata {
  return parseOpenIdMetadata(
    structuredClone(req.metadataOverrides ?? {}),
    `bank profile '${req.profileId}' discovery.metadataOverrides (discovery.mode 'none')`,
    { jwksUriOptional: req.jwksUriOptional === true },
  );
}

/** The bank's document with the profile's members laid over it (only when it is an object). */
function withOverrides(doc: unknown, overrides: Record<string, unknown> | undefined): unknown {
  if (!overrides || Object.keys(overrides).length === 0) return doc;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return doc;
  return { ...(doc as Record<string, unknown>), ...structuredClone(overrides) };
}

function issuerMismatch(req: DiscoveryRequest, published: string, url: string): DomainError {
  return new DomainError(
    'discovery/issuer-mismatch',
    'bank-failure',
    "The bank's OpenID configuration names another issuer",
    {
      detail: `The OpenID configuration at ${url} names issuer ${published}, but bank profile '${req.profileId}' has issuerUrl ${req.issuerUrl}. Fix issuerUrl (in the profile or BANK_PROFILE_OVERRIDES), or set discovery.acceptIssuerMismatch in the profile when the bank is known to publish another issuer.`,
    },
  );
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
