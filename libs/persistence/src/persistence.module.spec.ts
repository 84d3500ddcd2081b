import { VersioningType, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { CommonModule, createValidationPipe, DomainError, ProblemDetailsFilter } from '@obc/common';
import type { SecretRef } from '@obc/config';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { DatabaseSchemaBehindError } from './data-source/migration-status';
import { EncryptionKeyService } from './encryption/encryption-key.service';
import { SecretCipher } from './encryption/secret-cipher';
import { persistenceMigrations } from './migrations';
import type { PersistenceSettings } from './persistence.settings';
import { PersistenceModule } from './persistence.module';

const secrets = new Map<string, string>([
  ['KEY_ONE', randomBytes(32).toString('base64')],
  ['KEY_TWO', randomBytes(32).toString('base64')],
  ['KEY_SHORT', randomBytes(16).toString('base64')],
]);
const keyResolver = {
  resolve: async (ref: SecretRef) => {
    const value = secrets.get(ref.name);
    if (value === undefined) throw new Error(`environment variable ${ref.name} is not set`);
    return value;
  },
};

describe('PersistenceModule (SQLite)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'obc-persistence-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function settings(migrateOnStart: boolean, defaultKey?: Buffer): PersistenceSettings {
    return {
      database: {
        sqlitePath: join(dir, 'nested', 'connector.sqlite'),
        migrateOnStart,
        poolSize: 1,
        logging: false,
      },
      encryption: { defaultKey, defaultKeyId: 'default' },
    };
  }

  function compile(s: PersistenceSettings) {
    return Test.createTestingModule({
      imports: [
        CommonModule,
        PersistenceModule.forRoot({
          migrations: persistenceMigrations,
          settings: { useFactory: () => s },
          keyResolver,
        }),
      ],
    }).compile();
  }

  it('refuses to start on a schema behind the code, naming the migrations and the command', async () => {
    const started = Date.now();
    const error = await compile(settings(false)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseSchemaBehindError);
    expect((error as Error).message).toBe(
      'the database schema is behind by 1 migration(s) (CreateEncryptionKeyTable1764000000000); run `npm run migration:run`',
    );
    // Not retried as if the database were unreachable.
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('migrates on start when told to, after which a non-migrating start is accepted', async () => {
    const first = await compile(settings(true));
    const ds = first.get<DataSource>(getDataSourceToken());
    expect(ds.options.type).toBe('better-sqlite3');
    expect(ds.options.synchronize).toBe(false);
    expect(await ds.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    expect(await ds.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    await first.close();
    const second = await compile(settings(false));
    await second.close();
  });

  it('encrypts with the default key, then with a registered current key, and decrypts both', async () => {
    const moduleRef = await compile(settings(true, randomBytes(32)));
    const cipher = moduleRef.get(SecretCipher);
    const keys = moduleRef.get(EncryptionKeyService);
    const aad = { table: 't', rowId: 'r', column: 'c' };
    const old = await cipher.encrypt('first secret', aad);
    const k1 = await keys.register({
      key: { source: 'env', name: 'KEY_ONE' },
      setAsCurrent: true,
      createdBy: 'key-1',
    });
    const k2 = await keys.register({
      key: { source: 'env', name: 'KEY_TWO' },
      setAsCurrent: false,
      reference: 'spare',
      createdBy: 'key-1',
    });
    const newer = await cipher.encrypt('second secret', aad);
    expect(newer.split('.')[1]).toBe(k1.id);
    const k3 = await keys.register({
      key: { source: 'env', name: 'KEY_TWO' },
      setAsCurrent: true,
      createdBy: 'key-2',
    });
    const newest = await cipher.encrypt('third secret', aad);
    expect(newest.split('.')[1]).toBe(k3.id);
    expect(await cipher.decrypt(old, aad)).toBe('first secret');
    expect(await cipher.decrypt(newer, aad)).toBe('second secret');
    expect(await cipher.decrypt(newest, aad)).toBe('third secret');
    const listed = await keys.list();
    // Registered within the same second: the order among them is by id, so compare as sets.
    const byId = (a: [string, boolean], b: [string, boolean]) => a[0].localeCompare(b[0]);
    expect(listed.map((k): [string, boolean] => [k.id, k.isCurrent]).sort(byId)).toEqual(
      (
        [
          [k1.id, false],
          [k2.id, false],
          [k3.id, true],
        ] as [string, boolean][]
      ).sort(byId),
    );
    expect(await keys.get(k2.id)).toMatchObject({
      reference: 'spare',
      createdBy: 'key-1',
      key: { source: 'env', name: 'KEY_TWO' },
    });
    await moduleRef.close();
  });

  it('stores nothing when the key reference does not resolve to 32 bytes', async () => {
    const moduleRef = await compile(settings(true));
    const keys = moduleRef.get(EncryptionKeyService);
    for (const name of ['KEY_SHORT', 'KEY_MISSING']) {
      const error = await keys
        .register({ key: { source: 'env', name }, setAsCurrent: true, createdBy: 'key-1' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('encryption-key/invalid');
      expect((error as DomainError).detail).not.toContain(secrets.get('KEY_SHORT'));
    }
    expect(await keys.list()).toEqual([]);
    await expect(
      moduleRef.get(SecretCipher).encrypt('x', { table: 't', rowId: 'r', column: 'c' }),
    ).rejects.toMatchObject({ code: 'encryption/no-key' });
    await moduleRef.close();
  });

  describe('HTTP /v1/manage/encryption-keys', () => {
    let app: INestApplication;
    beforeEach(async () => {
      const moduleRef = await compile(settings(true));
      app = moduleRef.createNestApplication();
      app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
      app.useGlobalPipes(createValidationPipe());
      app.useGlobalFilters(new ProblemDetailsFilter());
      await app.init();
    });
    afterEach(() => app.close());

    it('registers, lists and gets keys', async () => {
      const created = await request(app.getHttpServer())
        .post('/v1/manage/encryption-keys')
        .send({ key: { source: 'env', name: 'KEY_ONE' }, setAsCurrent: true, reference: 'CHG-1' })
        .expect(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        created: expect.any(String),
        createdBy: 'anonymous',
        reference: 'CHG-1',
        key: { source: 'env', name: 'KEY_ONE' },
        isCurrent: true,
      });
      expect(JSON.stringify(created.body)).not.toContain(secrets.get('KEY_ONE'));
      const list = await request(app.getHttpServer()).get('/v1/manage/encryption-keys').expect(200);
      expect(list.body).toEqual([created.body]);
      await request(app.getHttpServer())
        .get(`/v1/manage/encryption-keys/${created.body.id}`)
        .expect(200, created.body);
      await request(app.getHttpServer())
        .get('/v1/manage/encryption-keys/6f1c0a2e-0000-4000-8000-000000000000')
        .expect(404);
      await request(app.getHttpServer()).get('/v1/manage/encryption-keys/not-a-uuid').expect(404);
    });

    it('answers 400 for an invalid key or body', async () => {
      const bad = await request(app.getHttpServer())
        .post('/v1/manage/encryption-keys')
        .send({ key: { source: 'env', name: 'KEY_SHORT' }, setAsCurrent: true })
        .expect(400);
      expect(bad.body.code).toBe('encryption-key/invalid');
      await request(app.getHttpServer())
        .post('/v1/manage/encryption-keys')
        .send({ key: { source: 'vault', name: 'X' }, setAsCurrent: true })
        .expect(400);
      await request(app.getHttpServer())
        .post('/v1/manage/encryption-keys')
        .send({ key: { source: 'env', name: 'KEY_ONE' } })
        .expect(400);
      await request(app.getHttpServer()).get('/v1/manage/encryption-keys').expect(200, []);
    });
  });
});
