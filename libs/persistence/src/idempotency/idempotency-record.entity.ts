import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const IDEMPOTENCY_RECORD_TABLE = 'idempotency_record';

export type IdempotencyStatus = 'in-progress' | 'completed' | 'failed-retryable';

/** What a completed record holds: the work's result, or the definitive error it threw. */
export type IdempotencyOutcome = 'result' | 'error';

/**
 * One idempotent creation: written (in progress) before the bank is called, so a retry after a
 * timeout or a crash finds it and re-sends the same `bankIdempotencyKey`. The stored response
 * is the connector's own answer: callers must never put tokens or secrets in it.
 */
@Entity(IDEMPOTENCY_RECORD_TABLE)
@Index('UQ_idempotency_record_scope_caller_key', ['scope', 'callerId', 'key'], { unique: true })
export class IdempotencyRecordEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** What is being created, e.g. `domestic-payment`: keys are independent per scope. */
  @Column({ type: 'varchar', length: 64 })
  scope!: string;

  /** The API key id: keys are per caller, so two callers may use the same key. */
  @Column({ type: 'varchar', length: 256 })
  callerId!: string;

  /** The caller's `Idempotency-Key` (or the one generated for it). */
  @Column({ type: 'varchar', length: 128 })
  key!: string;

  /** sha256 (hex) of the canonical JSON of the request. */
  @Column({ type: 'varchar', length: 64 })
  requestHash!: string;

  /** The `x-idempotency-key` sent to the bank, the same on every attempt. */
  @Column({ type: 'varchar', length: 40 })
  bankIdempotencyKey!: string;

  @Column({ type: 'varchar', length: 32 })
  status!: IdempotencyStatus;

  /** Incremented on every take-over, so only the current holder records the outcome. */
  @Column({ type: 'int' })
  attempt!: number;

  /** Until when the holder is presumed alive; past it, another request may take over. */
  @Column({ type: Date, nullable: true })
  lockedUntil!: Date | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  outcome!: IdempotencyOutcome | null;

  @Column({ type: 'int', nullable: true })
  responseStatus!: number | null;

  /** JSON text (portable across PostgreSQL and SQLite): the body, or the stored problem. */
  @Column({ type: 'text', nullable: true })
  responseBody!: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  resourceId!: string | null;

  @Column({ type: Date })
  created!: Date;

  @Column({ type: Date })
  updated!: Date;
}
