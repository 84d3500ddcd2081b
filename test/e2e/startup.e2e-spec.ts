import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, describeWithPostgres } from '../support/postgres';
import { startProcess } from '../support/processes';
import { DIST } from '../support/sandbox';

jest.setTimeout(60_000);

/** Start the built connector with `env` and wait for it to exit; returns its code and output. */
async function runConnector(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const proc = startProcess({
    name: 'connector',
    command: process.execPath,
    args: [join(DIST, 'apps/connector/src/main.js')],
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
  });
  const code = await new Promise<number | null>((resolve) =>
    proc.child.on('exit', (c) => resolve(c)),
  );
  return { code, output: proc.output() };
}

describe('start-up refuses a bad configuration with a message naming the variable', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'obc-startup-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('no API key and a bad port', async () => {
    const { code, output } = await runConnector({
      PORT: 'abc',
      SQLITE_PATH: join(dir, 'a.sqlite'),
    });
    expect(code).toBe(1);
    expect(output).toContain("PORT: expected an integer 0-65535, got 'abc'");
    expect(output).toMatch(/API_KEYS: required/);
  });

  it('an invalid profile in the extra directory names the file, the field and the fix', async () => {
    const extra = join(dir, 'profiles');
    mkdirSync(extra);
    writeFileSync(
      join(extra, 'broken-bank.json'),
      JSON.stringify({
        id: 'broken-bank',
        displayName: 'Broken',
        group: 'Test',
        registration: { mode: 'auto' },
      }),
    );
    const { code, output } = await runConnector({
      API_KEYS: randomBytes(24).toString('base64url'),
      SQLITE_PATH: join(dir, 'b.sqlite'),
      BANK_PROFILES_EXTRA_DIR: extra,
    });
    expect(code).toBe(1);
    expect(output).toContain('broken-bank.json');
    expect(output).toMatch(/\/registration\/mode/);
  });
});

describeWithPostgres('start-up on PostgreSQL with the schema behind', () => {
  it('refuses to serve and says to run the migrations', async () => {
    const db = await createTestDatabase();
    try {
      const { code, output } = await runConnector({
        API_KEYS: randomBytes(24).toString('base64url'),
        DATABASE_URL: db.url,
      });
      expect(code).toBe(1);
      expect(output).toMatch(/schema is behind by \d+ migration/);
      expect(output).toContain('npm run migration:run');
    } finally {
      await db.drop();
    }
  });
});
