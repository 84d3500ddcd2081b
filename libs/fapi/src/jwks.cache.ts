import { Injectable, Logger } from '@nestjs/common';
import { CryptoKey, importJWK, JWK } from 'jose';
import { Clock } from '@obc/common';
import { BankHttpClient } from '@obc/bank-http';
import { JwksInvalidError, JwksKeyNotFoundError } from './jwks.errors';

/** How long a fetched JWKS is used before it is fetched again. */
export const JWKS_TTL_MS = 60 * 60 * 1000;
/**
 * The least time between two fetches of one JWKS caused by an unknown kid: a forged kid in every
 * token must not turn the connector into a fetch storm against the bank.
 */
export const JWKS_MIN_REFETCH_INTERVAL_MS = 30 * 1000;

export interface JwksKeyRequest {
  profileId: string;
  jwksUri: string;
  /** The token header's kid; when absent, the set's only signing key is used. */
  kid?: string;
  /** Extra CA certificates trusted for this bank. */
  trustedCaPem?: string;
}

interface ImportedKey {
  kid?: string;
  key: CryptoKey;
}

interface JwksEntry {
  keys: ImportedKey[];
  fetchedAtMs: number;
}

interface JwksState {
  entry?: JwksEntry;
  lastFetchMs?: number;
  inFlight?: Promise<JwksEntry>;
}

/**
 * The banks' signing keys, fetched through the one bank HTTP layer and kept as imported keys per
 * JWKS URI. A kid the cached set lacks triggers one refetch (the bank may have rotated), at most
 * once per interval per URI; concurrent lookups share one fetch.
 */
@Injectable()
export class JwksCache {
  private readonly logger = new Logger(JwksCache.name);
  private readonly states = new Map<string, JwksState>();

  constructor(
    private readonly http: BankHttpClient,
    private readonly clock: Clock,
  ) {}

  async getKey(request: JwksKeyRequest): Promise<CryptoKey> {
    const state = this.stateFor(request.jwksUri);
    const now = this.clock.nowMs();
    const cached = state.entry;
    if (!cached || now - cached.fetchedAtMs >= JWKS_TTL_MS) {
      return this.pickOrThrow(await this.fetch(state, request), request);
    }
    const hit = pick(cached, request.kid);
    if (hit) return hit;
    const sinceLastFetch = now - (state.lastFetchMs ?? 0);
    if (!state.inFlight && sinceLastFetch < JWKS_MIN_REFETCH_INTERVAL_MS) {
      throw new JwksKeyNotFoundError(request.jwksUri, request.kid);
    }
    return this.pickOrThrow(await this.fetch(state, request), request);
  }

  /** Forgets every cached set (e.g. after a bank announces an emergency key rotation). */
  clear(): void {
    this.states.clear();
  }

  private stateFor(jwksUri: string): JwksState {
    let state = this.states.get(jwksUri);
    if (!state) {
      state = {};
      this.states.set(jwksUri, state);
    }
    return state;
  }

  private pickOrThrow(entry: JwksEntry, request: JwksKeyRequest): CryptoKey {
    const key = pick(entry, request.kid);
    if (!key) throw new JwksKeyNotFoundError(request.jwksUri, request.kid);
    return key;
  }

  private fetch(state: JwksState, request: JwksKeyRequest): Promise<JwksEntry> {
    if (state.inFlight) return state.inFlight;
    state.lastFetchMs = this.clock.nowMs();
    const inFlight = this.load(request)
      .then((entry) => {
        state.entry = entry;
        return entry;
      })
      .finally(() => {
        state.inFlight = undefined;
      });
    state.inFlight = inFlight;
    return inFlight;
  }

  private async load(request: JwksKeyRequest): Promise<JwksEntry> {
    const response = await this.http.request<unknown>({
      profileId: request.profileId,
      endpoint: 'jwks',
      method: 'GET',
      url: request.jwksUri,
      trustedCaPem: request.trustedCaPem,
      expectStatus: [200],
    });
    const jwks = parseJwks(response.data, request.jwksUri);
    const keys: ImportedKey[] = [];
    for (const jwk of jwks) {
      if (!isRsaSigningKey(jwk)) continue;
      try {
        const key = (await importJWK(jwk, 'PS256')) as CryptoKey;
        keys.push({ kid: typeof jwk.kid === 'string' ? jwk.kid : undefined, key });
      } catch (e: unknown) {
        // One broken key must not hide the others; the kid is public, the error name is enough.
        this.logger.warn(
          `Skipped a JWK (kid ${String(jwk.kid)}) from ${request.jwksUri}: ${e instanceof Error ? e.name : 'error'}`,
        );
      }
    }
    return { keys, fetchedAtMs: this.clock.nowMs() };
  }
}

function pick(entry: JwksEntry, kid: string | undefined): CryptoKey | undefined {
  if (kid === undefined) return entry.keys.length === 1 ? entry.keys[0].key : undefined;
  return entry.keys.find((k) => k.kid === kid)?.key;
}

function parseJwks(data: unknown, jwksUri: string): JWK[] {
  let body = data;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body) as unknown;
    } catch {
      throw new JwksInvalidError(jwksUri, 'the body is not JSON');
    }
  }
  if (typeof body !== 'object' || body === null || !('keys' in body)) {
    throw new JwksInvalidError(jwksUri, 'no "keys" member');
  }
  const keys = (body as { keys: unknown }).keys;
  if (!Array.isArray(keys)) throw new JwksInvalidError(jwksUri, '"keys" is not an array');
  return keys.filter((k): k is JWK => typeof k === 'object' && k !== null && !Array.isArray(k));
}

/**
 * Only public RSA keys meant for signatures (use "sig" or unstated) and, when the key names an
 * alg, PS256: the one algorithm we accept for the banks' ID tokens.
 */
function isRsaSigningKey(jwk: JWK): boolean {
  if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') return false;
  if (jwk.d !== undefined) return false;
  if (jwk.use !== undefined && jwk.use !== 'sig') return false;
  return jwk.alg === undefined || jwk.alg === 'PS256';
}
