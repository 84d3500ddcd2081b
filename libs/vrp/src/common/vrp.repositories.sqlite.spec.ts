import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bankRegistrationMigrations } from '@obc/bank-registration';
import { createDataSourceOptions, persistenceMigrations, runMigrations } from '@obc/persistence';
import { DataSource } from 'typeorm';
import { DomesticVrpConsentEntity } from '../consents/domestic-vrp-consent.entity';
import { vrpMigrations } from '../migrations';
import { DomesticVrpEntity } from '../payments/domestic-vrp.entity';
import { CONSENT_ID, vrpConsentRow } from '../testing/fixtures';
import { DomesticVrpConsentRepository, DomesticVrpRepository } from './vrp.repositories';

describe('VRP tables on SQLite (migrations and entities agree)', () => {
  let dir: string;
  let ds: DataSource;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obc-vrp-'));
    ds = await new DataSource(
      createDataSourceOptions(
        { sqlitePath: join(dir, 'c.sqlite'), migrateOnStart: false, poolSize: 1, logging: false },
        [...persistenceMigrations, ...bankRegistrationMigrations, ...vrpMigrations],
        { entities: [DomesticVrpConsentEntity, DomesticVrpEntity] },
      ),
    ).initialize();
    await runMigrations(ds);
    // The bank_registration row the foreign key points at is another lib's business.
    await ds.query('PRAGMA foreign_keys = OFF');
  });
  afterEach(async () => {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a consent and many payments under it; a deleted consent is no longer found', async () => {
    const consents = new DomesticVrpConsentRepository(ds.getRepository(DomesticVrpConsentEntity));
    const payments = new DomesticVrpRepository(ds.getRepository(DomesticVrpEntity));
    const { created: _c, deleted: _d, ...fields } = vrpConsentRow();
    await consents.save(Object.assign(new DomesticVrpConsentEntity(), fields));
    for (const n of [1, 2]) {
      await payments.save(
        Object.assign(new DomesticVrpEntity(), {
          id: `44444444-4444-4444-8444-44444444444${n}`,
          createdBy: null,
          reference: null,
          domesticVrpConsentId: CONSENT_ID,
          externalApiId: `bank-vrp-${n}`,
          status: 'ACSC',
          externalApiResponse: { Data: { DomesticVRPId: `bank-vrp-${n}` } },
        }),
      );
    }

    const found = await consents.findActive(CONSENT_ID);
    expect(found?.externalApiResponse).toEqual(vrpConsentRow().externalApiResponse);
    expect(found?.created).toBeInstanceOf(Date);
    expect((await payments.findActive('44444444-4444-4444-8444-444444444442'))?.externalApiId).toBe(
      'bank-vrp-2',
    );
    expect(await payments.findActive('not-a-uuid')).toBeNull();

    await consents.markDeleted(CONSENT_ID);
    expect(await consents.findActive(CONSENT_ID)).toBeNull();
  });

  const vrp = (n: number, externalApiId: string, status = 'PDNG') =>
    Object.assign(new DomesticVrpEntity(), {
      id: `44444444-4444-4444-8444-44444444444${n}`,
      createdBy: null,
      reference: null,
      domesticVrpConsentId: CONSENT_ID,
      externalApiId,
      status,
      externalApiResponse: { Data: { DomesticVRPId: externalApiId, Status: status } },
    });

  it('storeMade keeps one row per bank payment: a replayed bank answer maps to the stored row', async () => {
    const consents = new DomesticVrpConsentRepository(ds.getRepository(DomesticVrpConsentEntity));
    const payments = new DomesticVrpRepository(ds.getRepository(DomesticVrpEntity));
    const { created: _c, deleted: _d, ...fields } = vrpConsentRow();
    await consents.save(Object.assign(new DomesticVrpConsentEntity(), fields));

    const first = await payments.storeMade(vrp(1, 'bank-vrp-1'));
    // A take-over (or a late holder) stores the same bank payment under a fresh id.
    const again = await payments.storeMade(vrp(2, 'bank-vrp-1', 'ACSC'));
    expect(again.id).toBe(first.id);
    expect(again.status).toBe('PDNG');
    const other = await payments.storeMade(vrp(3, 'bank-vrp-2'));
    expect(other.id).toBe('44444444-4444-4444-8444-444444444443');
    const rows = (await ds.query(
      'SELECT id, "externalApiId", status FROM domestic_vrp ORDER BY "externalApiId"',
    )) as unknown[];
    expect(rows).toEqual([
      { id: first.id, externalApiId: 'bank-vrp-1', status: 'PDNG' },
      { id: other.id, externalApiId: 'bank-vrp-2', status: 'PDNG' },
    ]);
    // The unique index itself refuses a second row for the same bank payment.
    await expect(
      ds.getRepository(DomesticVrpEntity).insert(vrp(4, 'bank-vrp-1') as never),
    ).rejects.toThrow(/UNIQUE/);
  });

  it('the unique index migration reverts: duplicates are possible again', async () => {
    await ds.undoLastMigration();
    const insert = (id: string) =>
      ds.query(
        `INSERT INTO domestic_vrp (id, "domesticVrpConsentId", "externalApiId", status, "externalApiResponse") VALUES (?, ?, 'bank-vrp-1', 'PDNG', '{}')`,
        [id, CONSENT_ID],
      );
    await insert('a');
    await insert('b');
    expect(
      await ds.query(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'UQ_domestic_vrp_consent_bank_payment'",
      ),
    ).toEqual([]);
  });

  it('the migrations revert', async () => {
    await ds.undoLastMigration();
    await ds.undoLastMigration();
    await ds.undoLastMigration();
    const tables = (await ds.query(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'domestic_vrp%'",
    )) as unknown[];
    expect(tables).toEqual([]);
  });
});
