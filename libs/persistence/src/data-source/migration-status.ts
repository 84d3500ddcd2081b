import { DataSource, MigrationExecutor } from 'typeorm';

/** Start-up found migrations that have not been applied, and was not told to apply them. */
export class DatabaseSchemaBehindError extends Error {
  constructor(readonly pending: readonly string[]) {
    super(
      `the database schema is behind by ${pending.length} migration(s) (${pending.join(', ')}); ` +
        'run `npm run migration:run`',
    );
    this.name = 'DatabaseSchemaBehindError';
  }
}

/** Names of the migrations known to the data source and not yet recorded as applied. */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const executor = new MigrationExecutor(dataSource);
  const pending = await executor.getPendingMigrations();
  return pending.map((m) => m.name);
}

/** Applies every pending migration, each in its own transaction; returns the names applied. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}

/** Refuses to serve on a schema older than the code. */
export async function assertSchemaCurrent(dataSource: DataSource): Promise<void> {
  const pending = await pendingMigrations(dataSource);
  if (pending.length > 0) throw new DatabaseSchemaBehindError(pending);
}
