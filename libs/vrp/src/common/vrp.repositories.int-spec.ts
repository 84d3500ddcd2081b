import { randomUUID } from 'node:crypto';
import { bankRegistrationMigrations } from '@obc/bank-registration';
import { createDataSourceOptions, persistenceMigrations, runMigrations } from '@obc/persistence';
import {
  createTestDatabase,
  describeWithPostgres,
  type TestDatabase,
} from '@obc/test-support/postgres';
import { DataSource } from 'typeorm';
import { DomesticVrpConsentEntity } from '../consents/domestic-vrp-consent.entity';
import { vrpMigrations } from '../migrations';
import { DomesticVrpEntity } from '../payments/domestic-vrp.entity';
import { vrpConsentRow } from '../testing/fixtures';
import { DomesticVrpRepository } from './vrp.repositories';

/** Many VRPs per consent, one local row per bank payment, on real PostgreSQL with two pools. */
describeWithPostgres('domestic VRPs on PostgreSQL: one row per bank payment', () => {
  let db: TestDatabase;
  const sources: DataSource[] = [];
  let consentId: string;

  const open = async () => {
    const ds = await new DataSource(
      createDataSourceOptions(
        { url: db.url, sqlitePath: ':memory:', migrateOnStart: false, poolSize: 5, logging: false },
        [...persistenceMigrations, ...bankRegistrationMigrations, ...vrpMigrations],
        { entities: [DomesticVrpConsentEntity, DomesticVrpEntity] },
      ),
    ).initialize();
    sources.push(ds);
    return ds;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const first = await open();
    await runMigrations(first);
    // The bank_registration row the consent's foreign key points at is another lib's business.
    const [fk] = (await first.query(
      `SELECT conname FROM pg_constraint WHERE conrelid = 'domestic_vrp_consent'::regclass AND contype = 'f'`,
    )) as { conname: string }[];
    await first.query(`ALTER TABLE domestic_vrp_consent DROP CONSTRAINT "${fk.conname}"`);
    const { created: _c, deleted: _d, ...fields } = vrpConsentRow({ id: randomUUID() });
    await first
      .getRepository(DomesticVrpConsentEntity)
      .save(Object.assign(new DomesticVrpConsentEntity(), fields));
    consentId = fields.id;
    await open();
  });
  afterAll(async () => {
    await Promise.all(sources.map((s) => s.destroy()));
    await db?.drop();
  });

  const store = (ds: DataSource, externalApiId: string) =>
    new DomesticVrpRepository(ds.getRepository(DomesticVrpEntity)).storeMade(
      Object.assign(new DomesticVrpEntity(), {
        id: randomUUID(),
        createdBy: null,
        reference: null,
        domesticVrpConsentId: consentId,
        externalApiId,
        status: 'PDNG',
        externalApiResponse: { Data: { DomesticVRPId: externalApiId } },
      }),
    );

  it('two writers storing the same bank payment at once: one row, both get its id', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([store(sources[0], 'vrp-1'), store(sources[1], 'vrp-1')]);
      expect(b.id).toBe(a.id);
    }
    const other = await store(sources[1], 'vrp-2');
    const rows = (await sources[0].query(
      `SELECT id, "externalApiId" FROM domestic_vrp WHERE "domesticVrpConsentId" = $1 ORDER BY "externalApiId"`,
      [consentId],
    )) as { id: string; externalApiId: string }[];
    expect(rows.map((r) => r.externalApiId)).toEqual(['vrp-1', 'vrp-2']);
    expect(rows[1].id).toBe(other.id);
  });
});
