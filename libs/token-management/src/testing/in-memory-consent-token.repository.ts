import type { ConsentRef } from '../consent-tokens/consent-ref';
import { ConsentTokenEntity } from '../consent-tokens/consent-token.entity';
import type {
  ConsentTokenRepository,
  SaveInTransaction,
} from '../consent-tokens/consent-token.repository';

/**
 * The repository's contract in memory: rows are copied in and out (as a database would), and
 * withLockedRow runs one transaction at a time per consent, applying its saves only on success.
 */
export class InMemoryConsentTokenRepository {
  readonly rows = new Map<string, ConsentTokenEntity>();
  transactions = 0;
  private lock: Promise<unknown> = Promise.resolve();

  asRepository(): ConsentTokenRepository {
    return this as unknown as ConsentTokenRepository;
  }

  async find(ref: ConsentRef): Promise<ConsentTokenEntity | null> {
    const row = this.rows.get(key(ref));
    return row ? copy(row) : null;
  }

  async exists(ref: ConsentRef): Promise<boolean> {
    return this.rows.has(key(ref));
  }

  async delete(ref: ConsentRef): Promise<void> {
    this.rows.delete(key(ref));
  }

  async expireVersion(ref: ConsentRef, version: number, at: Date): Promise<void> {
    const row = this.rows.get(key(ref));
    if (row && row.version === version) row.accessTokenExpiresAt = at;
  }

  async withLockedRow<T>(
    ref: ConsentRef,
    work: (row: ConsentTokenEntity | null, save: SaveInTransaction) => Promise<T>,
  ): Promise<T> {
    const run = this.lock.then(async () => {
      this.transactions++;
      const staged: ConsentTokenEntity[] = [];
      const existing = this.rows.get(key(ref));
      const result = await work(existing ? copy(existing) : null, async (row) => {
        staged.push(copy(row));
      });
      for (const row of staged) this.rows.set(key(row), row);
      return result;
    });
    this.lock = run.catch(() => undefined);
    return run;
  }
}

function key(ref: ConsentRef): string {
  return `${ref.consentType}/${ref.consentId}`;
}

function copy(row: ConsentTokenEntity): ConsentTokenEntity {
  return Object.assign(new ConsentTokenEntity(), row);
}
