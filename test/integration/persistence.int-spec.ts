import { Test, type TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { CommonModule } from '@obc/common';
import type { SecretRef } from '@obc/config';
import {
  createDataSourceOptions,
  DatabaseSchemaBehindError,
  EncryptionKeyService,
  PersistenceModule,
  persistenceMigrations,
  pendingMigrations,
  runMigrations,
  SecretCipher,
  type PersistenceSettings,
} from '@obc/persistence';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../support/postgres';

const material = new Map<string, string>([
  ['KEY_ONE', randomBytes(32).toString('base64')],
  ['KEY_TWO', randomBytes(32).toString('base64')],
]);
const keyResolver = {
  resolve: async (ref: SecretRef) =>
    material.get(ref.name) ?? Promise.reject(new Error(`${ref.name} is not set`)),
};

describeWithPostgres('persistence on PostgreSQL', () => {
  let db: TestDatabase;
  let moduleRef: TestingModule | undefined;

  const settings = (migrateOnStart: boolean): PersistenceSettings => ({
    database: {
      url: db.url,
      sqlitePath: './unused.sqlite',
      migrateOnStart,
      poolSize: 4,
      logging: false,
    },
    encryption: { defaultKey: randomBytes(32), defaultKeyId: 'default' },
  });
  const compile = (s: PersistenceSettings) =>
    Test.createTestingModule({
      imports: [
        CommonModule,
        PersistenceModule.forRoot({
          migrations: persistenceMigrations,
          settings: { useFactory: () => s },
          keyResolver,
        }),
      ],
    }).compile();

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await moduleRef?.close();
    await db?.drop();
  });

  it('refuses to start before migrating, then migrates a fresh database', async () => {
    await expect(compile(settings(false))).rejects.toBeInstanceOf(DatabaseSchemaBehindError);
    const ds = await new DataSource(
      createDataSourceOptions(settings(false).database, persistenceMigrations),
    ).initialize();
    try {
      expect(await pendingMigrations(ds)).toEqual(['CreateEncryptionKeyTable1764000000000']);
      expect(await runMigrations(ds)).toEqual(['CreateEncryptionKeyTable1764000000000']);
      const columns = (await ds.query(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'encryption_key'`,
      )) as { column_name: string; data_type: string }[];
      expect(Object.fromEntries(columns.map((c) => [c.column_name, c.data_type]))).toMatchObject({
        id: 'uuid',
        created: 'timestamp with time zone',
        deleted: 'timestamp with time zone',
        isCurrent: 'boolean',
        createdBy: 'character varying',
      });
      await ds.query(`CREATE TABLE secret_probe (id uuid PRIMARY KEY, value text NOT NULL)`);
    } finally {
      await ds.destroy();
    }
    moduleRef = await compile(settings(false));
  });

  it('stores only ciphertext, rotates keys and still decrypts old values', async () => {
    if (!moduleRef) throw new Error('the previous test did not start the module');
    const cipher = moduleRef.get(SecretCipher);
    const keys = moduleRef.get(EncryptionKeyService);
    const ds = moduleRef.get<DataSource>(getDataSourceToken());
    const store = async (plaintext: string) => {
      const id = randomUUID();
      const value = await cipher.encrypt(plaintext, {
        table: 'secret_probe',
        rowId: id,
        column: 'value',
      });
      await ds.query(`INSERT INTO secret_probe (id, value) VALUES ($1, $2)`, [id, value]);
      return id;
    };
    const load = async (id: string) => {
      const [row] = (await ds.query(`SELECT * FROM secret_probe WHERE id = $1`, [id])) as {
        id: string;
        value: string;
      }[];
      return row;
    };

    const k1 = await keys.register({
      key: { source: 'env', name: 'KEY_ONE' },
      setAsCurrent: true,
      createdBy: 'it',
    });
    const first = await store('refresh-token-one');
    const k2 = await keys.register({
      key: { source: 'env', name: 'KEY_TWO' },
      setAsCurrent: true,
      createdBy: 'it',
    });
    const second = await store('refresh-token-two');

    const raw1 = await load(first);
    const raw2 = await load(second);
    expect(JSON.stringify(raw1)).not.toContain('refresh-token-one');
    expect(JSON.stringify(raw2)).not.toContain('refresh-token-two');
    expect(raw1.value.split('.').slice(0, 2)).toEqual(['obc1', k1.id]);
    expect(raw2.value.split('.').slice(0, 2)).toEqual(['obc1', k2.id]);
    expect(
      await cipher.decrypt(raw1.value, { table: 'secret_probe', rowId: first, column: 'value' }),
    ).toBe('refresh-token-one');
    expect(
      await cipher.decrypt(raw2.value, { table: 'secret_probe', rowId: second, column: 'value' }),
    ).toBe('refresh-token-two');
    // Copied into another row, the value no longer decrypts.
    await expect(
      cipher.decrypt(raw1.value, { table: 'secret_probe', rowId: second, column: 'value' }),
    ).rejects.toMatchObject({
      code: 'encryption/decrypt-failed',
    });

    // Only one key is current, and the key rows hold references, never material.
    const rows = (await ds.query(`SELECT * FROM encryption_key ORDER BY created`)) as Record<
      string,
      unknown
    >[];
    expect(rows.filter((r) => r.isCurrent === true).map((r) => r.id)).toEqual([k2.id]);
    for (const secret of material.values()) expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it('keeps a single current key under concurrent registrations', async () => {
    if (!moduleRef) throw new Error('the first test did not start the module');
    const keys = moduleRef.get(EncryptionKeyService);
    const registered = await Promise.all(
      Array.from({ length: 5 }, () =>
        keys.register({
          key: { source: 'env', name: 'KEY_ONE' },
          setAsCurrent: true,
          createdBy: 'it',
        }),
      ),
    );
    const current = (await keys.list()).filter((k) => k.isCurrent);
    expect(current).toHaveLength(1);
    expect(registered.map((k) => k.id)).toContain(current[0].id);
  });
});
