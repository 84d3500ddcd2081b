import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL the integration tier uses (trust auth on 127.0.0.1, see README "Tests"). */
export const TEST_POSTGRES_HOST = '127.0.0.1';
export const TEST_POSTGRES_PORT = 5432;
const ADMIN_URL = `postgres://postgres@${TEST_POSTGRES_HOST}:${TEST_POSTGRES_PORT}/postgres`;
const AVAILABLE_ENV = 'OBC_POSTGRES_AVAILABLE';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates `obc_test_<random>`; `drop()` removes it even with connections still open. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `obc_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}"`));
  let dropped = false;
  return {
    name,
    url: `postgres://postgres@${TEST_POSTGRES_HOST}:${TEST_POSTGRES_PORT}/${name}`,
    async drop() {
      if (dropped) return;
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      dropped = true;
    },
  };
}

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Whether PostgreSQL answers a real query, decided synchronously (describe blocks cannot await):
 * a child node process connects with pg and runs SELECT 1. The answer is kept in the environment
 * so each test process probes once (a jest globalSetup may also set it).
 */
export function isPostgresAvailable(): boolean {
  const known = process.env[AVAILABLE_ENV];
  if (known === '1' || known === '0') return known === '1';
  const script = `
    const { Client } = require('pg');
    const c = new Client({ connectionString: ${JSON.stringify(ADMIN_URL)}, connectionTimeoutMillis: 3000 });
    c.connect().then(() => c.query('SELECT 1')).then(() => c.end()).then(() => process.exit(0), () => process.exit(1));
  `;
  const probe = spawnSync(process.execPath, ['-e', script], {
    cwd: process.cwd(),
    timeout: 10_000,
    stdio: 'ignore',
  });
  const available = probe.status === 0;
  process.env[AVAILABLE_ENV] = available ? '1' : '0';
  return available;
}

function postgresRequired(): boolean {
  return process.env.CI === 'true' || process.env.REQUIRE_POSTGRES === '1';
}

/**
 * `describe` for suites that need PostgreSQL: runs them when it answers; otherwise fails them
 * in CI (CI=true or REQUIRE_POSTGRES=1) and skips them locally with a warning.
 */
export function describeWithPostgres(name: string, fn: () => void): void {
  if (isPostgresAvailable()) {
    describe(name, fn);
    return;
  }
  const where = `${TEST_POSTGRES_HOST}:${TEST_POSTGRES_PORT}`;
  if (postgresRequired()) {
    describe(name, () => {
      it('needs PostgreSQL', () => {
        throw new Error(
          `PostgreSQL is required (CI=true or REQUIRE_POSTGRES=1) but does not answer at ${where} as user postgres.`,
        );
      });
    });
    return;
  }
  console.warn(
    `Skipping "${name}": PostgreSQL does not answer at ${where} (set REQUIRE_POSTGRES=1 to make this an error).`,
  );
  describe.skip(name, fn);
}
