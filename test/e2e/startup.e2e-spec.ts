import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadedPki } from '../../apps/mock-bank/src/pki';
import { registrationJourney } from '../support/journeys';
import { createTestDatabase, describeWithPostgres } from '../support/postgres';
import { startProcess } from '../support/processes';
import {
  ConnectorHandle,
  createPki,
  DIST,
  enrolTpp,
  MockBankHandle,
  startConnector,
  startMockBank,
} from '../support/sandbox';

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

describe('an operator-supplied profile in BANK_PROFILES_EXTRA_DIR, no rebuild', () => {
  const REDIRECT = 'https://tpp.example/callback';
  let dir: string;
  let pki: LoadedPki;
  let bank: MockBankHandle;
  let connector: ConnectorHandle;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obc-extra-profile-'));
    pki = await createPki(join(dir, 'pki'));
    bank = await startMockBank(pki);
    await enrolTpp(pki, bank, [REDIRECT]);
    // Written after the build, into a directory the built connector has never seen: the profile
    // file is all an operator adds. It points at the mock bank by its own values, no overrides.
    const extra = join(dir, 'operator-profiles');
    mkdirSync(extra);
    writeFileSync(
      join(extra, 'operator-bank.yaml'),
      [
        'id: operator-bank',
        'displayName: Operator Bank (added by the operator)',
        'group: operator',
        'environment: sandbox',
        `issuerUrl: ${bank.url}`,
        'financialId: 0015800001041RMOCK',
        'apis:',
        '  accountAndTransaction:',
        '    version: v4.0',
        `    baseUrl: ${bank.url}/open-banking/v4.0/aisp`,
        '  paymentInitiation:',
        '    version: v4.0',
        `    baseUrl: ${bank.url}/open-banking/v4.0/pisp`,
        'registration:',
        '  mode: dcr',
        '  dcrVersion: "3.3"',
        '  audience: issuer',
        'tokenEndpointAuthMethod: tls_client_auth',
        '',
      ].join('\n'),
    );
    connector = await startConnector({
      pki,
      bank,
      sqlitePath: join(dir, 'connector.sqlite'),
      env: { BANK_PROFILES_EXTRA_DIR: extra },
    });
  }, 180_000);

  afterAll(async () => {
    await connector?.stop();
    await bank?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is listed by GET /v1/manage/bank-profiles beside the built-in profiles', async () => {
    const res = await connector.api.get<Record<string, unknown>[]>('/v1/manage/bank-profiles');
    expect(res.status).toBe(200);
    const operator = res.body.find((p) => p.id === 'operator-bank');
    expect(operator).toMatchObject({
      displayName: 'Operator Bank (added by the operator)',
      group: 'operator',
      environment: 'sandbox',
      apiVersions: { accountAndTransaction: 'v4.0', paymentInitiation: 'v4.0' },
      registrationMode: 'dcr',
      tokenEndpointAuthMethod: 'tls_client_auth',
      configured: true,
      issuerUrl: bank.url,
    });
    const ids = res.body.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(['mock-bank', 'obie-model-bank-sandbox']));
    expect(res.body.filter((p) => p.environment !== 'mock').length).toBeGreaterThanOrEqual(56);
    const one = await connector.api.get('/v1/manage/bank-profiles/operator-bank');
    expect(one.status).toBe(200);
  }, 120_000);

  it('registers with the bank it names (DCR over mTLS) and reads the registration back', async () => {
    const journey = await registrationJourney(connector.api, pki, {
      bankProfile: 'operator-bank',
      redirectUri: REDIRECT,
    });
    expect(journey.steps.map((s) => s.status)).toEqual([201, 201, 201, 201, 200]);
    expect(journey.steps[3].body).toMatchObject({
      bankProfile: 'operator-bank',
      tokenEndpointAuthMethod: 'tls_client_auth',
      externalApiId: journey.externalApiId,
    });
    const { counts } = await bank.ledger();
    expect(counts.registrations).toBe(1);
    expect(counts.registerReads).toBe(1);
  }, 120_000);
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
