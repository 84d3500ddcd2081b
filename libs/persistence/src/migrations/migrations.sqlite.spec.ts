import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type MigrationInterface } from 'typeorm';
import { runMigrationCli } from '../cli/run-migrations';
import { createDataSourceOptions } from '../data-source/data-source-options';
import { pendingMigrations, runMigrations } from '../data-source/migration-status';
import type { DatabaseSettings } from '../persistence.settings';
import { persistenceMigrations } from './index';

describe('persistence migrations on SQLite', () => {
  let dir: string;
  let settings: DatabaseSettings;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'obc-migrations-'));
    settings = {
      sqlitePath: join(dir, 'db', 'connector.sqlite'),
      migrateOnStart: false,
      poolSize: 1,
      logging: false,
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates encryption_key with the base columns and a single current key, and reverts', async () => {
    const ds = await new DataSource(
      createDataSourceOptions(settings, persistenceMigrations),
    ).initialize();
    try {
      expect(await pendingMigrations(ds)).toEqual(['CreateEncryptionKeyTable1764000000000']);
      expect(await runMigrations(ds)).toEqual(['CreateEncryptionKeyTable1764000000000']);
      expect(await pendingMigrations(ds)).toEqual([]);
      const columns = (await ds.query(`PRAGMA table_info('encryption_key')`)) as {
        name: string;
        type: string;
        notnull: number;
        pk: number;
      }[];
      expect(
        Object.fromEntries(columns.map((c) => [c.name, [c.type.toLowerCase(), c.notnull, c.pk]])),
      ).toEqual({
        id: ['varchar(36)', 1, 1],
        created: ['datetime', 1, 0],
        createdBy: ['varchar(256)', 0, 0],
        reference: ['varchar(1024)', 0, 0],
        deleted: ['datetime', 0, 0],
        source: ['varchar(16)', 1, 0],
        name: ['varchar(512)', 1, 0],
        isCurrent: ['boolean', 1, 0],
      });
      const insert = (id: string, current: boolean) =>
        ds.query(
          `INSERT INTO encryption_key (id, source, name, "isCurrent") VALUES (?, 'env', 'K', ?)`,
          [id, current ? 1 : 0],
        );
      await insert('a', true);
      await insert('b', false);
      await insert('c', false);
      await expect(insert('d', true)).rejects.toThrow(/UNIQUE/);
      const [row] = (await ds.query(
        `SELECT created, "isCurrent" FROM encryption_key WHERE id = 'b'`,
      )) as { created: string; isCurrent: number }[];
      expect(row.isCurrent).toBe(0);
      expect(row.created).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
      await ds.undoLastMigration();
      expect(
        await ds.query(`SELECT name FROM sqlite_master WHERE name = 'encryption_key'`),
      ).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('the CLI applies pending migrations, then reports the schema up to date', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const deps = {
      loadSettings: async () => settings,
      print: (l: string) => out.push(l),
      printError: (l: string) => err.push(l),
    };
    expect(await runMigrationCli(persistenceMigrations, deps)).toBe(0);
    expect(out.join('\n')).toContain('applied 1 migration(s)');
    expect(out.join('\n')).toContain('CreateEncryptionKeyTable1764000000000');
    out.length = 0;
    expect(await runMigrationCli(persistenceMigrations, deps)).toBe(0);
    expect(out.join('\n')).toContain('schema up to date');
    expect(err).toEqual([]);
    process.exitCode = 0;
  });

  it('the CLI exits non-zero with a clear message when a migration fails', async () => {
    class BreakEverything1764000000001 implements MigrationInterface {
      async up(): Promise<void> {
        throw new Error('column "nope" does not exist');
      }
      async down(): Promise<void> {}
    }
    const err: string[] = [];
    const code = await runMigrationCli([...persistenceMigrations, BreakEverything1764000000001], {
      loadSettings: async () => settings,
      print: () => undefined,
      printError: (l) => err.push(l),
    });
    expect(code).toBe(1);
    expect(process.exitCode).toBe(1);
    expect(err[0]).toContain('Migration failed on SQLite');
    expect(err[0]).toContain('column "nope" does not exist');
    process.exitCode = 0;
    // The migration before the broken one stays applied (one transaction each).
    const ds = await new DataSource(
      createDataSourceOptions(settings, persistenceMigrations),
    ).initialize();
    expect(await pendingMigrations(ds)).toEqual([]);
    await ds.destroy();
  });

  it('the CLI reports a configuration failure without a stack', async () => {
    const err: string[] = [];
    const code = await runMigrationCli(persistenceMigrations, {
      loadSettings: async () => {
        throw new Error('DATABASE_URL: expected a postgres:// URL');
      },
      printError: (l) => err.push(l),
    });
    expect(code).toBe(1);
    expect(err[0]).toBe(
      'Migration failed on the database: DATABASE_URL: expected a postgres:// URL',
    );
    process.exitCode = 0;
  });
});
