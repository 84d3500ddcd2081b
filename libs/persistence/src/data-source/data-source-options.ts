import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions, MigrationInterface } from 'typeorm';
import type { DatabaseSettings } from '../persistence.settings';

/** A migration class as TypeORM takes it: each lib exports an array of these. */
export type MigrationClass = new () => MigrationInterface;

/** Entities passed explicitly (the CLI and tests); the Nest module auto-loads them instead. */
export type EntityClass = abstract new (...args: never[]) => object;

export interface DataSourceExtras {
  entities?: EntityClass[];
}

const IN_MEMORY = ':memory:';

/**
 * The one place that turns the database settings into TypeORM options, shared by the Nest
 * module, the migration CLI and the tests so they can never disagree. Never `synchronize`: the
 * schema only changes through migrations. Migrations never run from here; callers decide.
 */
export function createDataSourceOptions(
  settings: DatabaseSettings,
  migrations: readonly MigrationClass[],
  extras: DataSourceExtras = {},
): DataSourceOptions {
  const common = {
    synchronize: false,
    migrationsRun: false,
    // One transaction per migration: a failed one leaves the earlier ones applied and recorded.
    migrationsTransactionMode: 'each' as const,
    migrations: [...migrations],
    entities: [...(extras.entities ?? [])],
    logging: settings.logging,
  };
  if (settings.url) {
    return { ...common, type: 'postgres', url: settings.url, poolSize: settings.poolSize };
  }
  const database = settings.sqlitePath === IN_MEMORY ? IN_MEMORY : resolve(settings.sqlitePath);
  if (database !== IN_MEMORY) mkdirSync(dirname(database), { recursive: true });
  // The driver turns foreign keys on itself; WAL lets readers proceed while a write is in flight.
  return { ...common, type: 'better-sqlite3', database, enableWAL: database !== IN_MEMORY };
}
