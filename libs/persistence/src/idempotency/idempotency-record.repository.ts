import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, Not, QueryFailedError, Repository } from 'typeorm';
import { RetentionService } from '../retention/retention.service';
import { IdempotencyRecordEntity, type IdempotencyOutcome } from './idempotency-record.entity';

export interface IdempotencyRecordKey {
  scope: string;
  callerId: string;
  key: string;
}

export interface StoredOutcome {
  outcome: IdempotencyOutcome;
  responseStatus: number;
  responseBody: string;
  resourceId: string | null;
}

/**
 * The idempotency_record table. No transactions: each step is one statement, the unique index
 * and conditional updates (on `attempt`) settle races, so it behaves the same on PostgreSQL
 * (many connections, many replicas) and SQLite (one connection).
 */
@Injectable()
export class IdempotencyRecordRepository implements OnModuleInit {
  constructor(
    @InjectRepository(IdempotencyRecordEntity)
    private readonly rows: Repository<IdempotencyRecordEntity>,
    @Optional() private readonly retention?: RetentionService,
  ) {}

  onModuleInit(): void {
    this.retention?.register({
      name: 'idempotency_record',
      purgeOlderThan: (cutoff) => this.purgeSettledBefore(cutoff),
    });
  }

  /**
   * Deletes records last touched before `cutoff` that no request holds: settled ones (completed,
   * or failed retryably and never retried). One held in progress is kept whatever its age.
   */
  async purgeSettledBefore(cutoff: Date): Promise<number> {
    const result = await this.rows.delete({
      updated: LessThan(cutoff),
      status: Not('in-progress'),
    });
    return result.affected ?? 0;
  }

  /** Inserts (committed at once); false when a record with the same scope, caller and key exists. */
  async insertIfAbsent(record: IdempotencyRecordEntity): Promise<boolean> {
    try {
      await this.rows.insert(record);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async find(ref: IdempotencyRecordKey): Promise<IdempotencyRecordEntity | null> {
    return this.rows.findOneBy({ scope: ref.scope, callerId: ref.callerId, key: ref.key });
  }

  /**
   * Takes over a record whose holder crashed or failed retryably: succeeds for one caller only,
   * the one that still sees the attempt it read (any take-over increments it).
   */
  async claim(id: string, attempt: number, lockedUntil: Date, now: Date): Promise<boolean> {
    const result = await this.rows.update(
      { id, attempt, status: In(['in-progress', 'failed-retryable']) },
      { status: 'in-progress', attempt: attempt + 1, lockedUntil, updated: now },
    );
    return (result.affected ?? 0) === 1;
  }

  /** Records the outcome, unless another request took the record over meanwhile. */
  async complete(id: string, attempt: number, outcome: StoredOutcome, now: Date): Promise<void> {
    await this.rows.update(
      { id, attempt, status: 'in-progress' },
      { status: 'completed', lockedUntil: null, updated: now, ...outcome },
    );
  }

  async markRetryable(id: string, attempt: number, now: Date): Promise<void> {
    await this.rows.update(
      { id, attempt, status: 'in-progress' },
      { status: 'failed-retryable', lockedUntil: null, updated: now },
    );
  }
}

/** PostgreSQL 23505, or SQLite's SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: unknown } | undefined;
  const code = typeof driverError?.code === 'string' ? driverError.code : '';
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
