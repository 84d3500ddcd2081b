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

  it('the migrations revert', async () => {
    await ds.undoLastMigration();
    await ds.undoLastMigration();
    const tables = (await ds.query(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'domestic_vrp%'",
    )) as unknown[];
    expect(tables).toEqual([]);
  });
});
