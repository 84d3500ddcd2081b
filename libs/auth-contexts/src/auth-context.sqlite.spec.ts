import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createDataSourceOptions, runMigrations } from '@obc/persistence';
import { AuthContextEntity } from './auth-context.entity';
import { AuthContextRepository } from './auth-context.repository';
import { authContextMigrations } from './migrations';

function row(state: string, id: string): AuthContextEntity {
  return Object.assign(new AuthContextEntity(), {
    id,
    createdBy: 'key-1',
    reference: null,
    consentType: 'account-access',
    consentId: '11111111-1111-4111-8111-111111111111',
    state,
    nonce: 'nonce',
    codeVerifier: 'obc1.k.iv.ct.tag',
    redirectUri: 'https://app.example/cb',
    responseMode: 'fragment',
    appSessionId: null,
    expiresAt: new Date('2026-01-02T03:14:05.000Z'),
    consumedAt: null,
  });
}

describe('auth_context on SQLite', () => {
  let dir: string;
  let ds: DataSource;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obc-authctx-'));
    ds = await new DataSource(
      createDataSourceOptions(
        { sqlitePath: join(dir, 'c.sqlite'), migrateOnStart: false, poolSize: 1, logging: false },
        authContextMigrations,
        { entities: [AuthContextEntity] },
      ),
    ).initialize();
    expect(await runMigrations(ds)).toEqual(['CreateAuthContextTable1764000500000']);
  });
  afterEach(async () => {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('consumes a state exactly once and keeps the stored values', async () => {
    const repository = new AuthContextRepository(ds);
    await repository.insert(row('state-a', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'));
    await repository.insert(row('state-b', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'));
    const now = new Date('2026-01-02T03:05:00.000Z');

    const attempts = await Promise.all([
      repository.consume('state-a', now),
      repository.consume('state-a', now),
    ]);
    const winners = attempts.filter((a) => a !== undefined);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({
      id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
      consentType: 'account-access',
      nonce: 'nonce',
      codeVerifier: 'obc1.k.iv.ct.tag',
      redirectUri: 'https://app.example/cb',
    });
    expect(winners[0]?.consumedAt?.toISOString()).toBe(now.toISOString());
    expect(winners[0]?.expiresAt.toISOString()).toBe('2026-01-02T03:14:05.000Z');
    expect(await repository.consume('state-a', now)).toBeUndefined();
    expect(await repository.consume('unknown', now)).toBeUndefined();
    // Another context is untouched.
    expect(await repository.consume('state-b', now)).toMatchObject({ state: 'state-b' });
  });

  it('retention deletes the contexts that expired before the cutoff, redeemed or not', async () => {
    const repository = new AuthContextRepository(ds);
    const expired = (state: string, id: string, expiresAt: string) =>
      repository.insert(Object.assign(row(state, id), { expiresAt: new Date(expiresAt) }));
    await expired('old', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', '2026-01-02T03:14:05.000Z');
    await expired('old-used', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', '2026-01-03T00:00:00.000Z');
    await repository.consume('old-used', new Date('2026-01-02T23:59:00.000Z'));
    await expired('recent', 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', '2026-02-10T00:00:00.000Z');
    expect(await repository.purgeExpiredBefore(new Date('2026-02-01T00:00:00.000Z'))).toBe(2);
    const left = (await ds.query(`SELECT state FROM auth_context`)) as { state: string }[];
    expect(left.map((r) => r.state)).toEqual(['recent']);
    // A deleted state is unknown: it can never be redeemed.
    expect(await repository.consume('old', new Date('2026-02-01T00:00:00.000Z'))).toBeUndefined();
  });

  it('refuses a second context with the same state, and migrates down', async () => {
    const repository = new AuthContextRepository(ds);
    await repository.insert(row('dup', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'));
    await expect(
      repository.insert(row('dup', 'cccccccc-cccc-4ccc-8ccc-cccccccccccc')),
    ).rejects.toThrow(/UNIQUE/);
    await ds.undoLastMigration();
    expect(await ds.query(`SELECT name FROM sqlite_master WHERE name = 'auth_context'`)).toEqual(
      [],
    );
  });
});
