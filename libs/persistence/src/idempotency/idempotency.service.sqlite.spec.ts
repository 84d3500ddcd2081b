import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BankCallError, Clock, CryptoRandomSource, DomainError } from '@obc/common';
import { DataSource } from 'typeorm';
import { createDataSourceOptions } from '../data-source/data-source-options';
import { runMigrations } from '../data-source/migration-status';
import { persistenceMigrations } from '../migrations';
import { idempotencyMigrations } from './idempotency.migrations';
import { IdempotencyRecordEntity } from './idempotency-record.entity';
import { IdempotencyRecordRepository } from './idempotency-record.repository';
import { IdempotencyService, type IdempotentWorkContext } from './idempotency.service';
import { idempotencyOptionsFrom } from './idempotency.module';
import { ConnectorConfig } from '@obc/config';

class TestClock extends Clock {
  ms = Date.parse('2025-06-01T12:00:00.000Z');
  now(): Date {
    return new Date(this.ms);
  }
}

const bank = {
  status: null,
  endpoint: 'domestic-payments',
  method: 'POST',
  interactionId: 'i-1',
  body: null,
};

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function caught(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('IdempotencyService on SQLite', () => {
  let dir: string;
  let ds: DataSource;
  let clock: TestClock;
  let service: IdempotencyService;
  const scope = 'domestic-payment';
  const callerId = 'api-key-1';
  const body = { amount: { value: '10.00', currency: 'GBP' }, reference: 'INV-1' };

  const newService = (options = {}) =>
    new IdempotencyService(
      new IdempotencyRecordRepository(ds.getRepository(IdempotencyRecordEntity)),
      clock,
      new CryptoRandomSource(),
      { lockTtlMs: 30_000, waitMs: 2_000, pollMs: 10, ...options },
    );
  const rows = () =>
    ds.query(
      `SELECT status, attempt, outcome, "responseStatus", "lockedUntil" FROM idempotency_record`,
    ) as Promise<
      { status: string; attempt: number; outcome: string | null; responseStatus: number | null }[]
    >;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obc-idempotency-'));
    ds = await new DataSource(
      createDataSourceOptions(
        { sqlitePath: join(dir, 'c.sqlite'), migrateOnStart: false, poolSize: 1, logging: false },
        [...persistenceMigrations, ...idempotencyMigrations],
        { entities: [IdempotencyRecordEntity] },
      ),
    ).initialize();
    await runMigrations(ds);
    clock = new TestClock();
    service = newService();
  });
  afterEach(async () => {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the work once, replays the same key and body, refuses the same key with another body', async () => {
    const contexts: IdempotentWorkContext[] = [];
    const work = async (ctx: IdempotentWorkContext) => {
      contexts.push(ctx);
      return {
        status: 201,
        body: { id: 'pay-1', created: new Date(clock.ms) },
        resourceId: 'pay-1',
      };
    };
    const first = await service.run({ scope, callerId, key: 'k-1', request: body }, work);
    expect(first).toEqual({
      status: 201,
      body: { id: 'pay-1', created: '2025-06-01T12:00:00.000Z' },
      key: 'k-1',
      replayed: false,
    });
    expect(contexts).toHaveLength(1);
    expect(contexts[0].bankIdempotencyKey).toMatch(/^[0-9a-f]{40}$/);
    expect(contexts[0].attempt).toBe(1);

    const reordered = { reference: 'INV-1', amount: { currency: 'GBP', value: '10.00' } };
    const again = await service.run({ scope, callerId, key: 'k-1', request: reordered }, work);
    expect(again).toEqual({ ...first, replayed: true });
    expect(contexts).toHaveLength(1);

    const reused = await caught(
      service.run({ scope, callerId, key: 'k-1', request: { ...body, reference: 'INV-2' } }, work),
    );
    expect(reused.code).toBe('idempotency/key-reused');
    expect(reused.kind).toBe('unprocessable');
    expect(contexts).toHaveLength(1);

    // Keys are per caller and per scope.
    await service.run({ scope, callerId: 'api-key-2', key: 'k-1', request: { other: true } }, work);
    await service.run({ scope: 'domestic-vrp', callerId, key: 'k-1', request: body }, work);
    expect(contexts).toHaveLength(3);
    expect(new Set(contexts.map((c) => c.bankIdempotencyKey)).size).toBe(3);
    expect((await rows()).map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
  });

  it('generates a key when the caller sends none, and refuses an unusable key', async () => {
    const result = await service.run({ scope, callerId, request: body }, async () => ({
      status: 201,
      body: 'ok',
    }));
    expect(result.key).toMatch(/^[0-9a-f-]{36}$/);
    const replay = await service.run(
      { scope, callerId, key: result.key, request: body },
      async () => {
        throw new Error('must not run');
      },
    );
    expect(replay.replayed).toBe(true);
    for (const key of ['', 'x'.repeat(129), 'has space', 'é']) {
      const error = await caught(
        service.run({ scope, callerId, key, request: body }, async () => ({
          status: 201,
          body: 1,
        })),
      );
      expect(error.code).toBe('idempotency/invalid-key');
    }
  });

  it('concurrent requests with one key: one runs the work, the others wait and replay its result', async () => {
    let calls = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        service.run({ scope, callerId, key: 'k-conc', request: body }, async () => {
          calls += 1;
          await new Promise((r) => setTimeout(r, 100));
          return { status: 201, body: { id: `pay-${calls}` } };
        }),
      ),
    );
    expect(calls).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => JSON.stringify(r.body)))).toEqual(
      new Set(['{"id":"pay-1"}']),
    );
  });

  it('answers 409 when the holder is alive but slower than the wait', async () => {
    const gate = deferred<{ status: number; body: string }>();
    const slow = service.run({ scope, callerId, key: 'k-slow', request: body }, () => gate.promise);
    const error = await caught(
      newService({ waitMs: 50 }).run(
        { scope, callerId, key: 'k-slow', request: body },
        async () => ({
          status: 201,
          body: 'second',
        }),
      ),
    );
    expect(error.code).toBe('idempotency/in-progress');
    expect(error.kind).toBe('conflict');
    gate.resolve({ status: 201, body: 'first' });
    expect((await slow).body).toBe('first');
  });

  it('takes over a crashed holder (lock expired) with the same bank key; the late holder cannot overwrite', async () => {
    const keys: string[] = [];
    const attempts: number[] = [];
    const gate = deferred<{ status: number; body: string }>();
    const crashed = service.run({ scope, callerId, key: 'k-crash', request: body }, (ctx) => {
      keys.push(ctx.bankIdempotencyKey);
      attempts.push(ctx.attempt);
      return gate.promise;
    });
    await new Promise((r) => setTimeout(r, 20));
    clock.ms += 30_001;
    const retry = await service.run(
      { scope, callerId, key: 'k-crash', request: body },
      async (ctx) => {
        keys.push(ctx.bankIdempotencyKey);
        attempts.push(ctx.attempt);
        return { status: 201, body: 'from-retry' };
      },
    );
    expect(retry).toMatchObject({ body: 'from-retry', replayed: false });
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    // The work knows it is a take-over (its holder may have stored the resource already).
    expect(attempts).toEqual([1, 2]);
    gate.resolve({ status: 201, body: 'from-zombie' });
    await crashed;
    expect(await rows()).toMatchObject([{ status: 'completed', attempt: 2, outcome: 'result' }]);
    const replay = await service.run(
      { scope, callerId, key: 'k-crash', request: body },
      async () => ({
        status: 201,
        body: 'never',
      }),
    );
    expect(replay).toMatchObject({ body: 'from-retry', replayed: true });
  });

  it('IDEMPOTENCY_LOCK_SECONDS decides how long a crashed holder blocks its key', async () => {
    const config = { idempotency: { lockSeconds: 15 } } as unknown as ConnectorConfig;
    expect(idempotencyOptionsFrom(config)).toEqual({ lockTtlMs: 15_000 });
    expect(idempotencyOptionsFrom(undefined)).toEqual({});
    const configured = newService({ ...idempotencyOptionsFrom(config), waitMs: 30 });
    const gate = deferred<{ status: number; body: string }>();
    const crashed = configured.run({ scope, callerId, key: 'k-lock', request: body }, () => {
      return gate.promise;
    });
    await new Promise((r) => setTimeout(r, 20));
    let calls = 0;
    const work = async () => {
      calls += 1;
      return { status: 201, body: 'from-retry' };
    };
    clock.ms += 14_000;
    const early = await caught(
      configured.run({ scope, callerId, key: 'k-lock', request: body }, work),
    );
    expect(early.code).toBe('idempotency/in-progress');
    expect(calls).toBe(0);
    clock.ms += 1_001;
    const late = await configured.run({ scope, callerId, key: 'k-lock', request: body }, work);
    expect(late).toMatchObject({ body: 'from-retry', replayed: false });
    expect(calls).toBe(1);
    gate.resolve({ status: 201, body: 'from-zombie' });
    await crashed;
  });

  it('a retryable failure leaves the record retryable; the retry runs the work again with the same bank key', async () => {
    const keys: string[] = [];
    const timeout = await caught(
      service.run({ scope, callerId, key: 'k-retry', request: body }, async (ctx) => {
        keys.push(ctx.bankIdempotencyKey);
        throw new BankCallError(
          'bank/timeout',
          'bank-timeout',
          'The bank did not answer in time',
          bank,
        );
      }),
    );
    expect(timeout.code).toBe('bank/timeout');
    expect(timeout.extensions).toMatchObject({ idempotencyKey: 'k-retry' });
    expect(await rows()).toMatchObject([{ status: 'failed-retryable', attempt: 1 }]);

    const other = await caught(
      service.run({ scope, callerId, key: 'k-retry', request: { changed: true } }, async () => ({
        status: 201,
        body: 1,
      })),
    );
    expect(other.code).toBe('idempotency/key-reused');

    const retry = await service.run(
      { scope, callerId, key: 'k-retry', request: body },
      async (ctx) => {
        keys.push(ctx.bankIdempotencyKey);
        return { status: 201, body: { id: 'pay-9' } };
      },
    );
    expect(retry).toMatchObject({ body: { id: 'pay-9' }, replayed: false });
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(await rows()).toMatchObject([{ status: 'completed', attempt: 2 }]);
  });

  it('a definitive client error is stored: the same key and body replay the same problem without the work', async () => {
    let calls = 0;
    const rejected = () =>
      service.run({ scope, callerId, key: 'k-4xx', request: body }, async () => {
        calls += 1;
        throw new BankCallError(
          'bank/request-rejected',
          'unprocessable',
          'The bank rejected the request',
          {
            ...bank,
            status: 400,
            body: { Code: 'U001', Errors: [{ ErrorCode: 'UK.OBIE.Field.Invalid' }] },
          },
        );
      });
    const first = await caught(rejected());
    const second = await caught(rejected());
    expect(calls).toBe(1);
    for (const e of [first, second]) {
      expect(e.code).toBe('bank/request-rejected');
      expect(e.kind).toBe('unprocessable');
      expect(e.bank?.body).toEqual({
        Code: 'U001',
        Errors: [{ ErrorCode: 'UK.OBIE.Field.Invalid' }],
      });
    }
    expect(first.extensions).toEqual({ idempotencyKey: 'k-4xx' });
    expect(second.extensions).toEqual({ idempotencyKey: 'k-4xx', idempotencyReplayed: true });
    expect(await rows()).toMatchObject([
      { status: 'completed', outcome: 'error', responseStatus: 422 },
    ]);
  });

  it('the migration creates the unique (scope, callerId, key) index and reverts', async () => {
    const insert = (id: string, key: string) =>
      ds.query(
        `INSERT INTO idempotency_record (id, scope, "callerId", "key", "requestHash", "bankIdempotencyKey", status) VALUES (?, 's', 'c', ?, 'h', 'b', 'in-progress')`,
        [id, key],
      );
    await insert('a', 'k');
    await insert('b', 'k2');
    await expect(insert('c', 'k')).rejects.toThrow(/UNIQUE/);
    await ds.undoLastMigration();
    expect(
      await ds.query(`SELECT name FROM sqlite_master WHERE name = 'idempotency_record'`),
    ).toEqual([]);
  });
});
