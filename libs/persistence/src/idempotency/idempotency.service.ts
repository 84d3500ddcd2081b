import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  Clock,
  DomainError,
  RandomSource,
  STATUS_BY_KIND,
  type BankCallDetails,
  type ErrorKind,
  type FieldError,
} from '@obc/common';
import {
  deriveBankIdempotencyKey,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  requestHash,
} from './idempotency-hash';
import {
  IdempotencyInProgressError,
  IdempotencyKeyReusedError,
  InvalidIdempotencyKeyError,
} from './idempotency.errors';
import { IdempotencyRecordEntity } from './idempotency-record.entity';
import { IdempotencyRecordRepository } from './idempotency-record.repository';

export const IDEMPOTENCY_OPTIONS = Symbol('IDEMPOTENCY_OPTIONS');

export interface IdempotencyOptions {
  /** How long a holder is presumed alive; must exceed the longest bank call. */
  lockTtlMs: number;
  /** How long a concurrent request waits for the holder's result before a 409. */
  waitMs: number;
  pollMs: number;
}

export const DEFAULT_IDEMPOTENCY_OPTIONS: IdempotencyOptions = {
  lockTtlMs: 60_000,
  waitMs: 5_000,
  pollMs: 50,
};

export interface IdempotentRequest {
  /** What is being created, e.g. `domestic-payment`. */
  scope: string;
  /** The API key id of the caller. */
  callerId: string;
  /** The caller's `Idempotency-Key`; generated when absent (return it to the caller). */
  key?: string;
  /** What makes two requests "the same": the body, plus anything from the path that matters. */
  request: unknown;
}

export interface IdempotentWorkContext {
  /** Send as `x-idempotency-key`: the same value on every attempt with this key. */
  bankIdempotencyKey: string;
  recordId: string;
  /**
   * 1 on the first run; more when the record was taken over from a holder that crashed, timed
   * out or failed retryably, which may have made (and stored) the resource before it stopped.
   */
  attempt: number;
}

export interface IdempotentWorkResult<T> {
  status: number;
  /** The connector's response: stored as JSON, so never put tokens or secrets in it. */
  body: T;
  resourceId?: string;
}

export interface IdempotentResult<T> {
  status: number;
  body: T;
  /** The key used (the caller's or the generated one). */
  key: string;
  /** True when this is a stored earlier result, not a fresh run of the work. */
  replayed: boolean;
}

/** The problem a definitive failure left, stored so replays throw the same one. */
interface StoredProblem {
  code: string;
  kind: ErrorKind;
  title: string;
  detail: string;
  errors?: FieldError[];
  bank?: BankCallDetails;
  extensions?: Record<string, unknown>;
}

/**
 * Client errors that retrying with the same body cannot fix: the connector's validation or the
 * bank's 4xx (bank-http maps it to 'unprocessable'). Stored as the record's outcome. Anything else
 * (timeouts, 5xx, unreachable, 429, 401, unknown errors) leaves the record retryable.
 */
const DEFINITIVE_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'validation',
  'unprocessable',
  'not-found',
  'gone',
  'forbidden',
  'conflict',
]);

export function isDefinitiveFailure(error: unknown): error is DomainError {
  return error instanceof DomainError && DEFINITIVE_KINDS.has(error.kind);
}

const KEY_PATTERN = new RegExp(`^[\\x21-\\x7e]{1,${IDEMPOTENCY_KEY_MAX_LENGTH}}$`);

/**
 * Runs a bank creation at most once per (scope, caller, key), see API.md "Idempotency-Key".
 *
 * The record is inserted, in progress, before the work runs; the unique index picks the one
 * request that runs it. Others with the same key and body wait for its result (then replay it),
 * or get 409 after `waitMs`; a different body is 422. A holder that crashed (lock expired) or
 * failed retryably (timeout, 5xx) is taken over and the work runs again with the same
 * `bankIdempotencyKey`, so the bank answers with its first result instead of creating twice.
 *
 * Definitive client errors (see DEFINITIVE_KINDS) complete the record with the error: the same
 * key and body always answer the same problem; the caller uses a new key for a corrected request.
 * Errors thrown out of `run` carry `extensions.idempotencyKey` so a caller can retry with it.
 */
@Injectable()
export class IdempotencyService {
  private readonly options: IdempotencyOptions;

  constructor(
    private readonly records: IdempotencyRecordRepository,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    @Optional() @Inject(IDEMPOTENCY_OPTIONS) options?: Partial<IdempotencyOptions>,
  ) {
    this.options = { ...DEFAULT_IDEMPOTENCY_OPTIONS, ...options };
  }

  async run<T>(
    input: IdempotentRequest,
    work: (ctx: IdempotentWorkContext) => Promise<IdempotentWorkResult<T>>,
  ): Promise<IdempotentResult<T>> {
    const key = input.key ?? this.random.uuid();
    if (!KEY_PATTERN.test(key)) throw new InvalidIdempotencyKeyError(IDEMPOTENCY_KEY_MAX_LENGTH);
    const ref = { scope: input.scope, callerId: input.callerId, key };
    const hash = requestHash(input.request);
    const now = this.clock.now();
    const record = Object.assign(new IdempotencyRecordEntity(), {
      id: this.random.uuid(),
      ...ref,
      requestHash: hash,
      bankIdempotencyKey: deriveBankIdempotencyKey(input.scope, input.callerId, key),
      status: 'in-progress',
      attempt: 1,
      lockedUntil: this.lockUntil(),
      outcome: null,
      responseStatus: null,
      responseBody: null,
      resourceId: null,
      created: now,
      updated: now,
    } satisfies IdempotencyRecordEntity);
    if (await this.records.insertIfAbsent(record)) return this.execute(record, key, work);

    const waitUntil = Date.now() + this.options.waitMs;
    for (;;) {
      const existing = await this.records.find(ref);
      if (!existing) {
        // Only possible if a record was removed by hand: start afresh.
        if (await this.records.insertIfAbsent(record)) return this.execute(record, key, work);
        continue;
      }
      if (existing.requestHash !== hash) throw new IdempotencyKeyReusedError(key);
      if (existing.status === 'completed') return this.replay<T>(existing, key);
      const lockHeld =
        existing.status === 'in-progress' &&
        existing.lockedUntil !== null &&
        existing.lockedUntil.getTime() > this.clock.nowMs();
      if (lockHeld) {
        if (Date.now() >= waitUntil) throw new IdempotencyInProgressError(key);
        await sleep(this.options.pollMs);
        continue;
      }
      const lockedUntil = this.lockUntil();
      if (await this.records.claim(existing.id, existing.attempt, lockedUntil, this.clock.now())) {
        const claimed = Object.assign(existing, {
          status: 'in-progress' as const,
          attempt: existing.attempt + 1,
          lockedUntil,
        });
        return this.execute(claimed, key, work);
      }
      // Another request took it over first: wait for its result like any concurrent request.
    }
  }

  private async execute<T>(
    record: IdempotencyRecordEntity,
    key: string,
    work: (ctx: IdempotentWorkContext) => Promise<IdempotentWorkResult<T>>,
  ): Promise<IdempotentResult<T>> {
    let result: IdempotentWorkResult<T>;
    try {
      result = await work({
        bankIdempotencyKey: record.bankIdempotencyKey,
        recordId: record.id,
        attempt: record.attempt,
      });
    } catch (error) {
      if (isDefinitiveFailure(error)) {
        const problem = toStoredProblem(error);
        await this.records.complete(
          record.id,
          record.attempt,
          {
            outcome: 'error',
            responseStatus: STATUS_BY_KIND[error.kind],
            responseBody: JSON.stringify(problem),
            resourceId: null,
          },
          this.clock.now(),
        );
        throw fromStoredProblem(problem, key, false, error);
      }
      await this.records.markRetryable(record.id, record.attempt, this.clock.now());
      throw error instanceof DomainError
        ? fromStoredProblem(toStoredProblem(error), key, false, error)
        : error;
    }
    // Stored and returned through JSON, so the first answer and every replay are identical.
    const responseBody = JSON.stringify(result.body) ?? 'null';
    await this.records.complete(
      record.id,
      record.attempt,
      {
        outcome: 'result',
        responseStatus: result.status,
        responseBody,
        resourceId: result.resourceId ?? null,
      },
      this.clock.now(),
    );
    return { status: result.status, body: JSON.parse(responseBody) as T, key, replayed: false };
  }

  private replay<T>(record: IdempotencyRecordEntity, key: string): IdempotentResult<T> {
    const body: unknown = JSON.parse(record.responseBody ?? 'null');
    if (record.outcome === 'error') {
      throw fromStoredProblem(body as StoredProblem, key, true);
    }
    return { status: record.responseStatus ?? 200, body: body as T, key, replayed: true };
  }

  private lockUntil(): Date {
    return new Date(this.clock.nowMs() + this.options.lockTtlMs);
  }
}

function toStoredProblem(error: DomainError): StoredProblem {
  return {
    code: error.code,
    kind: error.kind,
    title: error.title,
    detail: error.detail,
    errors: error.errors,
    bank: error.bank,
    extensions: error.extensions,
  };
}

/** The same problem, naming the key so the caller can retry (or recognise a replay). */
function fromStoredProblem(
  problem: StoredProblem,
  key: string,
  replayed: boolean,
  cause?: unknown,
): DomainError {
  return new DomainError(problem.code, problem.kind, problem.title, {
    detail: problem.detail,
    errors: problem.errors,
    bank: problem.bank,
    extensions: {
      ...problem.extensions,
      idempotencyKey: key,
      ...(replayed ? { idempotencyReplayed: true } : {}),
    },
    cause,
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
