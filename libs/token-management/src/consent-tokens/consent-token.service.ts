import { Injectable, Optional } from '@nestjs/common';
import { Clock, RandomSource } from '@obc/common';
import { SecretCipher } from '@obc/persistence';
import { ClientContext } from '../client-context';
import { ConsentExpiredError, ConsentGrantError } from '../consent-grant.error';
import {
  DEFAULT_TOKEN_MANAGEMENT_SETTINGS,
  TokenManagementSettings,
} from '../token-management.settings';
import { TokenSet } from '../token-set';
import { TokenService } from '../token.service';
import type { ConsentRef } from './consent-ref';
import { CONSENT_TOKEN_TABLE, ConsentTokenEntity } from './consent-token.entity';
import { ConsentTokenRepository, isUniqueViolation } from './consent-token.repository';

/** Decrypted access tokens kept per replica; beyond this the oldest entries are dropped. */
export const MAX_CACHED_CONSENT_TOKENS = 10_000;

interface CachedAccessToken {
  token: string;
  /** Until when this replica hands it out without looking at the row (Infinity: unknown expiry). */
  usableUntilMs: number;
  version: number;
}

interface RefreshOutcome {
  row: ConsentTokenEntity;
  /** The new access token in clear, when this replica refreshed it. */
  accessToken?: string;
  refusal?: ConsentGrantError;
}

type EncryptedColumn = 'accessToken' | 'refreshToken';

/**
 * The access and refresh tokens of authorised consents: encrypted at rest, decrypted access
 * tokens cached in memory, refreshed when they expire with a database lock so that one replica,
 * once, uses the (often single-use, rotating) refresh token. Tokens are never logged.
 */
@Injectable()
export class ConsentTokenService {
  private readonly cache = new Map<string, CachedAccessToken>();
  private readonly inFlight = new Map<string, Promise<string>>();
  /** Bumped by store/invalidate/revoke: a load started before must not fill the cache after. */
  private readonly generations = new Map<string, number>();
  /**
   * The access token this replica is retiring or has retired, per consent, until a newer one is
   * cached: every other caller the bank refused with the same token waits for that one
   * retirement instead of starting its own (and cancelling the refresh already under way).
   */
  private readonly retired = new Map<string, { token: string; done: Promise<void> }>();
  private readonly earlyExpiryMs: number;

  constructor(
    private readonly rows: ConsentTokenRepository,
    private readonly cipher: SecretCipher,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    @Optional() settings?: TokenManagementSettings,
  ) {
    this.earlyExpiryMs = (settings ?? DEFAULT_TOKEN_MANAGEMENT_SETTINGS).earlyExpirySeconds * 1000;
  }

  /**
   * Stores a consent's tokens (after the code exchange), replacing earlier ones. A token set
   * without a refresh token keeps the stored one. Clears a previous refusal.
   */
  async store(ref: ConsentRef, tokens: TokenSet): Promise<void> {
    const receivedAtMs = this.clock.nowMs();
    this.retired.delete(keyOf(ref));
    const write = () =>
      this.rows.withLockedRow(ref, async (existing, save) => {
        const row = existing ?? this.newRow(ref);
        await this.apply(row, tokens, receivedAtMs);
        row.refreshRefusedAt = null;
        await save(row);
      });
    this.forget(ref);
    try {
      await write();
    } catch (error) {
      // Two first stores raced to insert: the other row exists now, so this one replaces it.
      if (!isUniqueViolation(error)) throw error;
      await write();
    }
    this.forget(ref);
  }

  /** A usable access token for the consent, refreshed when it has expired. */
  async getAccessToken(ref: ConsentRef, client: ClientContext): Promise<string> {
    const key = keyOf(ref);
    const cached = this.cache.get(key);
    if (cached && cached.usableUntilMs > this.clock.nowMs()) return cached.token;
    if (cached) this.cache.delete(key);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const load = this.load(ref, client, this.generationOf(key));
    this.inFlight.set(key, load);
    const clear = (): void => {
      if (this.inFlight.get(key) === load) this.inFlight.delete(key);
    };
    load.then(clear, clear);
    return load;
  }

  /**
   * The bank refused the access token (401): forget it here and mark it expired in the database
   * (only if it is still the version this replica used), so the next use refreshes it.
   */
  /**
   * The bank refused `rejectedAccessToken` before its expiry. Only that token is retired: when
   * this replica, or the database, already holds a newer one (another caller refreshed first),
   * nothing is expired, so concurrent refusals of one token lead to one refresh, not many (and a
   * rotated refresh token is never replayed).
   */
  async invalidate(ref: ConsentRef, rejectedAccessToken: string): Promise<void> {
    const key = keyOf(ref);
    const cached = this.cache.get(key);
    if (cached && cached.token !== rejectedAccessToken) return;
    const retiring = this.retired.get(key);
    if (retiring && retiring.token === rejectedAccessToken) return retiring.done;
    const done = this.retire(ref, rejectedAccessToken);
    this.retired.set(key, { token: rejectedAccessToken, done });
    try {
      await done;
    } catch (error) {
      if (this.retired.get(key)?.done === done) this.retired.delete(key);
      throw error;
    }
  }

  private async retire(ref: ConsentRef, rejectedAccessToken: string): Promise<void> {
    // Retire the token in the database first, then drop the cache: a load that read the row
    // before now cannot put the refused token back (forget() bumps the generation it checks).
    const row = await this.rows.find(ref);
    if (row && (await this.decrypt(row, 'accessToken', row.accessToken)) === rejectedAccessToken) {
      await this.rows.expireVersion(ref, row.version, this.clock.now());
    }
    this.forget(ref);
  }

  async has(ref: ConsentRef): Promise<boolean> {
    return this.rows.exists(ref);
  }

  /** Deletes the consent's tokens (consent revoked or deleted). */
  async revoke(ref: ConsentRef): Promise<void> {
    this.retired.delete(keyOf(ref));
    this.forget(ref);
    await this.rows.delete(ref);
    this.forget(ref);
  }

  private async load(ref: ConsentRef, client: ClientContext, generation: number): Promise<string> {
    const row = await this.rows.find(ref);
    if (!row) throw notAuthorised(ref, 'no tokens are stored for it');
    if (row.refreshRefusedAt) throw refused(ref);
    if (this.isFresh(row)) return this.cacheRow(ref, row, generation);
    return this.refresh(ref, client, generation);
  }

  /** Refreshes under the row lock; another replica's fresh result is used instead of a second call. */
  private async refresh(
    ref: ConsentRef,
    client: ClientContext,
    generation: number,
  ): Promise<string> {
    const outcome = await this.rows.withLockedRow(
      ref,
      async (row, save): Promise<RefreshOutcome> => {
        if (!row) throw notAuthorised(ref, 'no tokens are stored for it');
        if (row.refreshRefusedAt) throw refused(ref);
        if (this.isFresh(row)) return { row };
        if (!row.refreshToken) {
          throw new ConsentExpiredError(
            `The access token of ${nameOf(ref)} has expired and the bank gave no refresh token; the PSU must authorise the consent again.`,
          );
        }
        const refreshToken = await this.decrypt(row, 'refreshToken', row.refreshToken);
        const requestedAtMs = this.clock.nowMs();
        try {
          const tokens = await this.tokens.refreshGrant(
            client,
            refreshToken,
            client.consentGrantScopes?.[ref.consentType],
          );
          // The rotated refresh token commits with the access token, or neither does.
          await this.apply(row, tokens, requestedAtMs);
          await save(row);
          return { row, accessToken: tokens.accessToken };
        } catch (error) {
          if (!(error instanceof ConsentGrantError)) throw error;
          // Remembered (committed, not rolled back) so later calls fail without asking the bank.
          row.refreshRefusedAt = this.clock.now();
          await save(row);
          return { row, refusal: error };
        }
      },
    );
    if (outcome.refusal) throw outcome.refusal;
    return this.cacheRow(ref, outcome.row, generation, outcome.accessToken);
  }

  private isFresh(row: ConsentTokenEntity): boolean {
    return usableUntil(row, this.earlyExpiryMs) > this.clock.nowMs();
  }

  private async cacheRow(
    ref: ConsentRef,
    row: ConsentTokenEntity,
    generation: number,
    plaintext?: string,
  ): Promise<string> {
    const token = plaintext ?? (await this.decrypt(row, 'accessToken', row.accessToken));
    const key = keyOf(ref);
    if (this.generationOf(key) !== generation) return token;
    const now = this.clock.nowMs();
    for (const [k, entry] of this.cache) if (entry.usableUntilMs <= now) this.cache.delete(k);
    while (this.cache.size >= MAX_CACHED_CONSENT_TOKENS) {
      const oldest = this.cache.keys().next();
      if (oldest.done) break;
      this.cache.delete(oldest.value);
    }
    this.retired.delete(key);
    this.cache.set(key, {
      token,
      usableUntilMs: usableUntil(row, this.earlyExpiryMs),
      version: row.version,
    });
    return token;
  }

  private newRow(ref: ConsentRef): ConsentTokenEntity {
    return Object.assign(new ConsentTokenEntity(), {
      id: this.random.uuid(),
      consentType: ref.consentType,
      consentId: ref.consentId,
      createdBy: null,
      reference: null,
      refreshToken: null,
      accessTokenExpiresAt: null,
      refreshRefusedAt: null,
      version: 0,
    });
  }

  /** Puts new tokens into the row, encrypted; the expiry counts from when they were asked for. */
  private async apply(row: ConsentTokenEntity, tokens: TokenSet, fromMs: number): Promise<void> {
    row.accessToken = await this.encrypt(row, 'accessToken', tokens.accessToken);
    if (tokens.refreshToken !== undefined)
      row.refreshToken = await this.encrypt(row, 'refreshToken', tokens.refreshToken);
    row.accessTokenExpiresAt =
      tokens.expiresIn !== undefined ? new Date(fromMs + tokens.expiresIn * 1000) : null;
    row.version += 1;
  }

  private encrypt(row: ConsentTokenEntity, column: EncryptedColumn, plain: string) {
    return this.cipher.encrypt(plain, { table: CONSENT_TOKEN_TABLE, rowId: row.id, column });
  }

  private decrypt(row: ConsentTokenEntity, column: EncryptedColumn, stored: string) {
    return this.cipher.decrypt(stored, { table: CONSENT_TOKEN_TABLE, rowId: row.id, column });
  }

  private forget(ref: ConsentRef): void {
    const key = keyOf(ref);
    this.cache.delete(key);
    this.inFlight.delete(key);
    this.generations.set(key, this.generationOf(key) + 1);
  }

  private generationOf(key: string): number {
    return this.generations.get(key) ?? 0;
  }
}

/** Until when a row's access token may be used: early expiry before the bank's; unknown → ∞. */
function usableUntil(row: ConsentTokenEntity, earlyExpiryMs: number): number {
  return row.accessTokenExpiresAt
    ? row.accessTokenExpiresAt.getTime() - earlyExpiryMs
    : Number.POSITIVE_INFINITY;
}

function keyOf(ref: ConsentRef): string {
  return `${ref.consentType}\u0000${ref.consentId}`;
}

function nameOf(ref: ConsentRef): string {
  return `${ref.consentType} consent ${ref.consentId}`;
}

function notAuthorised(ref: ConsentRef, why: string): ConsentGrantError {
  return new ConsentGrantError(`The ${nameOf(ref)} is not authorised: ${why}.`);
}

function refused(ref: ConsentRef): ConsentGrantError {
  return notAuthorised(ref, 'the bank refused its refresh token; the PSU must authorise it again');
}
