import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
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

@Injectable()
export class AccountAccessConsentRepository {
  constructor(
    @InjectRepository(AccountAccessConsentEntity)
    private readonly rows: Repository<AccountAccessConsentEntity>,
  ) {}

  /** A new row: a second row with the same idempotency key fails the unique index. */
  async add(row: AccountAccessConsentEntity): Promise<AccountAccessConsentEntity> {
    return this.rows.save(row);
  }

  async saveChanges(row: AccountAccessConsentEntity): Promise<AccountAccessConsentEntity> {
    return this.rows.save(row);
  }

  /** Not deleted; ids that cannot be UUIDs are simply unknown (PostgreSQL refuses to compare). */
  async findActive(id: string): Promise<AccountAccessConsentEntity | null> {
    return UUID.test(id) ? this.rows.findOne({ where: { id } }) : null;
  }

  /** Deleted rows included: a key stays used once used. */
  async findByIdempotencyKey(idempotencyKey: string): Promise<AccountAccessConsentEntity | null> {
    return this.rows.findOne({ where: { idempotencyKey }, withDeleted: true });
  }

  async markDeleted(id: string): Promise<void> {
    await this.rows.softDelete({ id });
  }
}
