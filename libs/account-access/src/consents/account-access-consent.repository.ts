import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Clock, CONSENT_STATUS } from '@obc/common';
import { QueryFailedError, Repository } from 'typeorm';
import { AccountAccessConsentEntity } from './account-access-consent.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** PostgreSQL unique_violation, or SQLite's UNIQUE constraint failure. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: unknown } | undefined;
  return (
    driverError?.code === '23505' ||
    driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/i.test(error.message)
  );
}

/**
 * How long a replica reads an authorised consent from memory on the read path. Its own changes
 * (status refreshed from the bank, deletion) drop the entry at once; another replica's deletion
 * is seen within this time (its tokens are revoked at once, and the bank refuses them anyway).
 */
export const AUTHORISED_CONSENT_TTL_MS = 5_000;
/** Authorised consents one replica keeps; beyond this the oldest entry is dropped. */
export const MAX_CACHED_AUTHORISED_CONSENTS = 10_000;

@Injectable()
export class AccountAccessConsentRepository {
  private readonly authorised = new Map<
    string,
    { row: AccountAccessConsentEntity; untilMs: number }
  >();
  /** Bumped by every change: a lookup that started before one must not cache what it read. */
  private changes = 0;

  constructor(
    @InjectRepository(AccountAccessConsentEntity)
    private readonly rows: Repository<AccountAccessConsentEntity>,
    private readonly clock: Clock,
  ) {}

  /** A new row: a second row with the same idempotency key fails the unique index. */
  async add(row: AccountAccessConsentEntity): Promise<AccountAccessConsentEntity> {
    return this.rows.save(row);
  }

  async saveChanges(row: AccountAccessConsentEntity): Promise<AccountAccessConsentEntity> {
    this.forget(row.id);
    try {
      return await this.rows.save(row);
    } finally {
      this.forget(row.id);
    }
  }

  /** Not deleted; ids that cannot be UUIDs are simply unknown (PostgreSQL refuses to compare). */
  async findActive(id: string): Promise<AccountAccessConsentEntity | null> {
    return UUID.test(id) ? this.rows.findOne({ where: { id } }) : null;
  }

  /**
   * findActive for every read of account data: an authorised consent is served from memory for
   * AUTHORISED_CONSENT_TTL_MS (the read needs only its id, status and registration). Treat the
   * row as read-only; anything else (unknown, not authorised) is read from the database each time.
   */
  async findForRead(id: string): Promise<AccountAccessConsentEntity | null> {
    const now = this.clock.nowMs();
    const hit = this.authorised.get(id);
    if (hit && hit.untilMs > now) return hit.row;
    if (hit) this.authorised.delete(id);
    const changesBefore = this.changes;
    const row = await this.findActive(id);
    if (row?.status === CONSENT_STATUS.authorised && this.changes === changesBefore) {
      while (this.authorised.size >= MAX_CACHED_AUTHORISED_CONSENTS) {
        const oldest = this.authorised.keys().next();
        if (oldest.done) break;
        this.authorised.delete(oldest.value);
      }
      this.authorised.set(id, { row, untilMs: now + AUTHORISED_CONSENT_TTL_MS });
    }
    return row;
  }

  /** Deleted rows included: a key stays used once used. */
  async findByIdempotencyKey(idempotencyKey: string): Promise<AccountAccessConsentEntity | null> {
    return this.rows.findOne({ where: { idempotencyKey }, withDeleted: true });
  }

  async markDeleted(id: string): Promise<void> {
    this.forget(id);
    try {
      await this.rows.softDelete({ id });
    } finally {
      this.forget(id);
    }
  }

  private forget(id: string): void {
    this.authorised.delete(id);
    this.changes++;
  }
}
