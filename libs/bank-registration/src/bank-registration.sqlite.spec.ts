import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exerciseRepositories, openMigrated } from './testing/repository-contract';

describe('bank-registration schema on SQLite', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'obc-bankreg-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates up, stores and reads every entity, enforces one row per idempotency key, and migrates down', async () => {
    const ds = await openMigrated({
      sqlitePath: join(dir, 'c.sqlite'),
      migrateOnStart: false,
      poolSize: 1,
      logging: false,
    });
    try {
      await exerciseRepositories(ds);
      for (let i = 0; i < 3; i++) await ds.undoLastMigration();
      expect(
        await ds.query(
          `SELECT name FROM sqlite_master WHERE type='table' AND name LIKE '%certificate%'`,
        ),
      ).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });
});
