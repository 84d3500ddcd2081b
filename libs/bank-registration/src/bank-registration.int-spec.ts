import {
  createTestDatabase,
  describeWithPostgres,
  type TestDatabase,
} from '../../../test/support/postgres';
import { exerciseRepositories, openMigrated } from './testing/repository-contract';

describeWithPostgres('bank-registration schema on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db?.drop());

  it('migrates up, stores and reads every entity, enforces one row per idempotency key, and migrates down', async () => {
    const ds = await openMigrated({
      url: db.url,
      sqlitePath: ':memory:',
      migrateOnStart: false,
      poolSize: 2,
      logging: false,
    });
    try {
      await exerciseRepositories(ds);
      for (let i = 0; i < 3; i++) await ds.undoLastMigration();
    } finally {
      await ds.destroy();
    }
  });
});
