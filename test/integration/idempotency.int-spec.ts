import { BankCallError, Clock, CryptoRandomSource, DomainError } from '@obc/common';
import {
  createDataSourceOptions,
  idempotencyMigrations,
  IdempotencyRecordEntity,
  IdempotencyRecordRepository,
  IdempotencyService,
  persistenceMigrations,
  runMigrations,
  type IdempotentWorkContext,
} from '@obc/persistence';
import { DataSource } from 'typeorm';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../support/postgres';

class TestClock extends Clock {
  ms = Date.now();
  now(): Date {
    return new Date(this.ms);
  }
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

describeWithPostgres('idempotency on PostgreSQL across two replicas', () => {
  let db: TestDatabase;
  const sources: DataSource[] = [];
  const clock = new TestClock();
  let replicas: IdempotencyService[];
  const scope = 'domestic-payment';
  const callerId = 'api-key-1';
  const body = { amount: { value: '25.00', currency: 'GBP' }, reference: 'RENT' };

  const open = async () => {
    const ds = await new DataSource(
      createDataSourceOptions(
        {
          url: db.url,
          sqlitePath: ':memory:',
          migrateOnStart: false,
          poolSize: 20,
          logging: false,
        },
        [...persistenceMigrations, ...idempotencyMigrations],
        { entities: [IdempotencyRecordEntity] },
      ),
    ).initialize();
    sources.push(ds);
    return ds;
  };
  const service = (ds: DataSource) =>
    new IdempotencyService(
      new IdempotencyRecordRepository(ds.getRepository(IdempotencyRecordEntity)),
      clock,
      new CryptoRandomSource(),
      { lockTtlMs: 30_000, waitMs: 10_000, pollMs: 20 },
    );
  const record = async (key: string) => {
    const [row] = (await sources[0].query(
      `SELECT status, attempt, outcome, "bankIdempotencyKey" FROM idempotency_record WHERE "key" = $1`,
      [key],
    )) as { status: string; attempt: number; outcome: string | null; bankIdempotencyKey: string }[];
    return row;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const first = await open();
    await runMigrations(first);
    replicas = [service(first), service(await open())];
  });
  afterAll(async () => {
    await Promise.all(sources.map((s) => s.destroy()));
    await db?.drop();
  });

  it('100 concurrent requests with one key on two replicas: the work runs once, all get its body', async () => {
    const contexts: IdempotentWorkContext[] = [];
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        replicas[i % 2].run({ scope, callerId, key: 'k-100', request: body }, async (ctx) => {
          contexts.push(ctx);
          await new Promise((r) => setTimeout(r, 200));
          return {
            status: 201,
            body: { id: `pay-${contexts.length}`, replica: i % 2 },
            resourceId: 'p',
          };
        }),
      ),
    );
    expect(contexts).toHaveLength(1);
    expect(results.filter((r) => r.replayed)).toHaveLength(99);
    const bodies = new Set(results.map((r) => JSON.stringify(r.body)));
    expect(bodies.size).toBe(1);
    expect(JSON.parse([...bodies][0])).toMatchObject({ id: 'pay-1' });
    expect(results.every((r) => r.status === 201 && r.key === 'k-100')).toBe(true);
    expect(await record('k-100')).toMatchObject({
      status: 'completed',
      attempt: 1,
      bankIdempotencyKey: contexts[0].bankIdempotencyKey,
    });
  });

  it('replays a completed record and refuses the same key with a different body (422)', async () => {
    const work = async () => {
      throw new Error('must not run');
    };
    const replay = await replicas[1].run({ scope, callerId, key: 'k-100', request: body }, work);
    expect(replay).toMatchObject({ replayed: true, body: { id: 'pay-1' } });
    const reused = await caught(
      replicas[0].run(
        { scope, callerId, key: 'k-100', request: { ...body, reference: 'OTHER' } },
        work,
      ),
    );
    expect(reused.code).toBe('idempotency/key-reused');
    expect(reused.kind).toBe('unprocessable');
  });

  it('takes over a crashed in-progress record (lock in the past) with the same bank key', async () => {
    const keys: string[] = [];
    let crash!: () => void;
    // The first holder "crashes": its work never finishes and it never records an outcome.
    void replicas[0]
      .run({ scope, callerId, key: 'k-crash', request: body }, (ctx) => {
        keys.push(ctx.bankIdempotencyKey);
        return new Promise<never>((_, reject) => (crash = () => reject(new Error('process died'))));
      })
      .catch(() => undefined);
    while (keys.length === 0) await new Promise((r) => setTimeout(r, 10));
    await sources[0].query(
      `UPDATE idempotency_record SET "lockedUntil" = now() - interval '1 minute' WHERE "key" = 'k-crash'`,
    );
    const takeovers = await Promise.all(
      [0, 1, 0, 1].map((i) =>
        replicas[i].run({ scope, callerId, key: 'k-crash', request: body }, async (ctx) => {
          keys.push(ctx.bankIdempotencyKey);
          await new Promise((r) => setTimeout(r, 100));
          return { status: 201, body: { id: 'pay-crash' } };
        }),
      ),
    );
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(takeovers.filter((r) => !r.replayed)).toHaveLength(1);
    expect(takeovers.every((r) => (r.body as { id: string }).id === 'pay-crash')).toBe(true);
    crash();
    await new Promise((r) => setTimeout(r, 50));
    expect(await record('k-crash')).toMatchObject({
      status: 'completed',
      attempt: 2,
      outcome: 'result',
    });
  });

  it('a retryable failure, then a retry runs the work again with the same bank key', async () => {
    const keys: string[] = [];
    const failure = await caught(
      replicas[0].run({ scope, callerId, key: 'k-retry', request: body }, async (ctx) => {
        keys.push(ctx.bankIdempotencyKey);
        throw new BankCallError('bank/server-error', 'bank-failure', 'The bank failed', {
          status: 503,
          endpoint: 'domestic-payments',
          method: 'POST',
          interactionId: 'i-1',
          body: null,
        });
      }),
    );
    expect(failure.code).toBe('bank/server-error');
    expect(failure.extensions).toMatchObject({ idempotencyKey: 'k-retry' });
    expect(await record('k-retry')).toMatchObject({ status: 'failed-retryable', attempt: 1 });
    const retry = await replicas[1].run(
      { scope, callerId, key: 'k-retry', request: body },
      async (ctx) => {
        keys.push(ctx.bankIdempotencyKey);
        return { status: 201, body: { id: 'pay-retry' } };
      },
    );
    expect(retry).toMatchObject({ replayed: false, body: { id: 'pay-retry' } });
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(await record('k-retry')).toMatchObject({ status: 'completed', attempt: 2 });
  });

  it('the migration made timestamptz and text columns and the unique (scope, callerId, key) index', async () => {
    const columns = (await sources[0].query(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'idempotency_record'`,
    )) as { column_name: string; data_type: string }[];
    expect(Object.fromEntries(columns.map((c) => [c.column_name, c.data_type]))).toMatchObject({
      id: 'uuid',
      lockedUntil: 'timestamp with time zone',
      responseBody: 'text',
      bankIdempotencyKey: 'character varying',
    });
    const indexes = (await sources[0].query(
      `SELECT indexdef FROM pg_indexes WHERE tablename = 'idempotency_record' AND indexname = 'UQ_idempotency_record_scope_caller_key'`,
    )) as { indexdef: string }[];
    expect(indexes[0]?.indexdef).toMatch(/UNIQUE INDEX .*\(scope, "callerId", key\)/);
  });

  it('retention deletes settled records last touched before the cutoff, never one in progress', async () => {
    const repo = new IdempotencyRecordRepository(sources[0].getRepository(IdempotencyRecordEntity));
    const old = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    const insert = async (key: string, status: string, updated: Date) =>
      sources[0].query(
        `INSERT INTO idempotency_record (id, scope, "callerId", "key", "requestHash", "bankIdempotencyKey", status, attempt, created, updated)
         VALUES (gen_random_uuid(), $1, $2, $3, 'h', $4, $5, 1, $6, $6)`,
        [scope, callerId, key, `bk-${key}`, status, updated],
      );
    await insert('old-completed', 'completed', old);
    await insert('old-retryable', 'failed-retryable', old);
    await insert('old-in-progress', 'in-progress', old);
    await insert('recent-completed', 'completed', new Date());
    const cutoff = new Date(Date.now() - 30 * 24 * 3600 * 1000);
    expect(await repo.purgeSettledBefore(cutoff)).toBe(2);
    expect(await record('old-completed')).toBeUndefined();
    expect(await record('old-retryable')).toBeUndefined();
    expect(await record('old-in-progress')).toMatchObject({ status: 'in-progress' });
    expect(await record('recent-completed')).toMatchObject({ status: 'completed' });
    expect(await record('k-100')).toMatchObject({ status: 'completed' });
  });
});
