import { loadConnectorConfigFromProcess } from '@obc/config';
import { DataSource } from 'typeorm';
import { createDataSourceOptions, type MigrationClass } from '../data-source/data-source-options';
import { runMigrations } from '../data-source/migration-status';
import type { DatabaseSettings } from '../persistence.settings';

export interface MigrationCliDeps {
  /** Defaults to the configuration of this process (`loadConnectorConfigFromProcess`). */
  loadSettings?: () => Promise<DatabaseSettings>;
  print?: (line: string) => void;
  printError?: (line: string) => void;
}

/** Where the migrations go, without credentials. */
export function describeDatabase(settings: DatabaseSettings): string {
  if (!settings.url) return `SQLite ${settings.sqlitePath}`;
  try {
    const url = new URL(settings.url);
    return `PostgreSQL ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}

/**
 * `npm run migration:run`: applies the pending migrations and says which. The app's entry
 * (apps/connector) passes its full migration list. Returns the exit code and sets it on the
 * process, so a failed run fails the deployment job.
 */
export async function runMigrationCli(
  migrations: readonly MigrationClass[],
  deps: MigrationCliDeps = {},
): Promise<number> {
  const print = deps.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const printError = deps.printError ?? ((line: string) => process.stderr.write(`${line}\n`));
  const loadSettings =
    deps.loadSettings ?? (async () => (await loadConnectorConfigFromProcess()).database);
  let dataSource: DataSource | undefined;
  let code = 0;
  let where = 'the database';
  try {
    const settings = await loadSettings();
    where = describeDatabase(settings);
    dataSource = await new DataSource(createDataSourceOptions(settings, migrations)).initialize();
    const applied = await runMigrations(dataSource);
    if (applied.length === 0) {
      print(`${where}: schema up to date, no migration to apply.`);
    } else {
      print(`${where}: applied ${applied.length} migration(s):`);
      for (const name of applied) print(`  ${name}`);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    printError(`Migration failed on ${where}: ${message}`);
    printError(
      'Migrations already applied stay applied (each runs in its own transaction); fix the cause and run again.',
    );
    code = 1;
  } finally {
    if (dataSource?.isInitialized) await dataSource.destroy();
  }
  process.exitCode = code;
  return code;
}
