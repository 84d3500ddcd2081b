import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { isUuid } from '../shared/uuid';
import { BankRegistrationEntity } from './bank-registration.entity';

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
export class BankRegistrationRepository {
  constructor(
    @InjectRepository(BankRegistrationEntity)
    private readonly rows: Repository<BankRegistrationEntity>,
  ) {}

  /** A new row (fresh id): a second row with the same idempotency key fails the unique index. */
  async add(row: BankRegistrationEntity): Promise<BankRegistrationEntity> {
    return this.rows.save(row);
  }

  async saveChanges(row: BankRegistrationEntity): Promise<BankRegistrationEntity> {
    return this.rows.save(row);
  }

  /** A registered (not pending), not deleted registration. */
  async findRegistered(id: string): Promise<BankRegistrationEntity | null> {
    return isUuid(id) ? this.rows.findOne({ where: { id, status: 'registered' } }) : null;
  }

  async listRegistered(): Promise<BankRegistrationEntity[]> {
    return this.rows.find({ where: { status: 'registered' }, order: { created: 'ASC' } });
  }

  /** Live registrations of one profile under one software statement, newest first. */
  async listRegisteredFor(
    bankProfile: string,
    softwareStatementId: string,
  ): Promise<BankRegistrationEntity[]> {
    return this.rows.find({
      where: { bankProfile, softwareStatementId, status: 'registered' },
      order: { created: 'DESC' },
    });
  }

  /** Live registrations that reuse the client `externalApiId` (registrationMode 'shared'). */
  async listSharing(externalApiId: string): Promise<BankRegistrationEntity[]> {
    return this.rows.find({
      where: { externalApiId, registrationMode: 'shared', status: 'registered' },
      order: { created: 'ASC' },
    });
  }

  /** Deleted rows included: a key stays used once used. */
  async findByIdempotencyKey(idempotencyKey: string): Promise<BankRegistrationEntity | null> {
    return this.rows.findOne({ where: { idempotencyKey }, withDeleted: true });
  }

  /** A pending row whose registration the bank rejected: it never existed, so the key is free again. */
  async discardPending(id: string): Promise<void> {
    await this.rows.delete({ id, status: 'pending' });
  }

  async markDeleted(id: string): Promise<void> {
    await this.rows.softDelete({ id });
  }
}
