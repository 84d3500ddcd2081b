import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  generateTestPki,
  loadTestPki,
  LoadedPki,
  tppEnrolment,
} from '../../apps/mock-bank/src/pki';
import { ConnectorApiClient } from './api-client';
import { registrationJourney, RegistrationJourneyResult } from './journeys';
import { createTestDatabase, TestDatabase } from './postgres';
import { RunningProcess, startProcess } from './processes';

/** The repository root (this file lives in test/support, or dist/test/support when built). */
export const REPO_ROOT = findRepoRoot();

function findRepoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = resolve(dir, '..');
  return dir;
}

export const DIST = join(REPO_ROOT, 'dist');
export const SPECS_DIR =
  process.env.OBC_SPECS_DIR ?? resolve(REPO_ROOT, '..', 'shared', 'ob-specs');

export interface MockBankHandle {
  process: RunningProcess;
  url: string;
  port: number;
  /** GET the admin ledger (registrations, token grants...). */
  ledger(): Promise<MockBankLedger>;
  /** Calls an admin route of the mock bank (`/__admin/...`), trusting the test CA. */
  admin<T = unknown>(path: string, body?: unknown): Promise<T>;
  /** Every token, client secret and SSA the bank and its directory issued (test-only admin route). */
  issuedSecrets(): Promise<string[]>;
  stop(): Promise<void>;
}

export interface MockBankLedger {
  counts: {
    registrations: number;
    registrationRejections: number;
    registerReads: number;
    registerUpdates: number;
    registerDeletes: number;
    tokenGrants: Record<string, number>;
    tokenGrantsByClient: Record<string, Record<string, number>>;
  };
  events: { type: string; clientId?: string; grantType?: string; error?: string }[];
}

export interface ConnectorHandle {
  process: RunningProcess;
  url: string;
  apiKey: string;
  api: ConnectorApiClient;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Trust the test CA for calls this process makes to the mock bank (admin, ledger). */
async function mockBankFetch(
  pki: LoadedPki,
  url: string,
  init: { method?: string; body?: unknown } = {},
): Promise<unknown> {
  const https = await import('node:https');
  return new Promise((resolvePromise, reject) => {
    const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
    const req = https.request(
      url,
      {
        method: init.method ?? 'GET',
        ca: pki.pem.ca,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {},
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 300)
            reject(new Error(`${init.method ?? 'GET'} ${url} → ${res.statusCode}: ${text}`));
          else resolvePromise(text ? JSON.parse(text) : undefined);
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

export async function createPki(dir: string): Promise<LoadedPki> {
  mkdirSync(dir, { recursive: true });
  await generateTestPki(dir);
  return loadTestPki(dir);
}

export async function startMockBank(
  pki: LoadedPki,
  options: { echo?: boolean; env?: Record<string, string> } = {},
): Promise<MockBankHandle> {
  const proc = startProcess({
    name: 'mock-bank',
    command: process.execPath,
    args: [join(DIST, 'apps/mock-bank/src/main.js')],
    env: {
      PATH: process.env.PATH,
      MOCK_BANK_PORT: '0',
      MOCK_BANK_PKI_DIR: pki.dir,
      MOCK_BANK_SPECS_DIR: SPECS_DIR,
      ...options.env,
    },
    echo: options.echo,
  });
  const match = await proc.waitFor(/mock-bank listening on (https:\/\/localhost:(\d+))/, 60_000);
  const url = match[1];
  return {
    process: proc,
    url,
    port: Number(match[2]),
    admin: async <T>(path: string, body?: unknown) =>
      (await mockBankFetch(
        pki,
        `${url}/__admin${path}`,
        body === undefined ? {} : { method: 'POST', body },
      )) as T,
    ledger: async () => (await mockBankFetch(pki, `${url}/__admin/ledger`)) as MockBankLedger,
    issuedSecrets: async () =>
      (
        (await mockBankFetch(pki, `${url}/__admin/issued-secrets`)) as {
          secrets: { value: string }[];
        }
      ).secrets.map((s) => s.value),
    stop: () => proc.stop(),
  };
}

/** Enrols the PKI's TPP in the mock directory, as a TPP would in the real OB directory. */
export async function enrolTpp(
  pki: LoadedPki,
  bank: MockBankHandle,
  redirectUris: string[],
): Promise<void> {
  await mockBankFetch(pki, `${bank.url}/__admin/directory/software-statements`, {
    method: 'POST',
    body: tppEnrolment(pki, redirectUris),
  });
}

export interface ConnectorStartOptions {
  pki: LoadedPki;
  bank: MockBankHandle;
  /** PostgreSQL URL; absent: SQLite at `sqlitePath`. */
  databaseUrl?: string;
  sqlitePath?: string;
  apiKey?: string;
  encryptionKey?: string;
  echo?: boolean;
  env?: Record<string, string>;
}

/** The environment that points the connector at the mock bank (its profile, CA and directory). */
export function connectorEnvironment(
  options: ConnectorStartOptions & { apiKey: string; encryptionKey: string },
): Record<string, string> {
  const bankUrl = options.bank.url;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    API_KEYS: options.apiKey,
    ENCRYPTION_KEY: options.encryptionKey,
    BANK_CA_BUNDLE_FILE: join(options.pki.dir, options.pki.manifest.files.ca),
    BANK_PROFILE_OVERRIDES: JSON.stringify({
      'mock-bank': {
        issuerUrl: bankUrl,
        apis: {
          accountAndTransaction: { baseUrl: `${bankUrl}/open-banking/v4.0/aisp` },
          paymentInitiation: { baseUrl: `${bankUrl}/open-banking/v4.0/pisp` },
          variableRecurringPayments: { baseUrl: `${bankUrl}/open-banking/v4.0/vrp` },
        },
        // The mock bank signs its PIS and VRP responses, as the standard has ASPSPs do.
        messageSigning: { verifyResponseSignatures: true },
      },
    }),
    DIRECTORY_SANDBOX_TOKEN_URL: `${bankUrl}/directory/token`,
    DIRECTORY_SANDBOX_SSA_URL: `${bankUrl}/directory/organisation/{organisationId}/software-statement/{softwareId}/software-statement-assertion`,
    ...options.env,
  };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  else env.SQLITE_PATH = options.sqlitePath ?? join(options.pki.dir, '..', 'connector.sqlite');
  return env;
}

/** A port that is free now on 127.0.0.1 (the connector needs to know its public URL up front). */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export async function startConnector(
  options: ConnectorStartOptions & { port?: number },
): Promise<ConnectorHandle> {
  const apiKey = options.apiKey ?? randomBytes(24).toString('base64url');
  const encryptionKey = options.encryptionKey ?? randomBytes(32).toString('base64');
  const port = options.port ?? (await freePort());
  const env = connectorEnvironment({
    ...options,
    apiKey,
    encryptionKey,
    env: { PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, ...options.env },
  });
  const proc = startProcess({
    name: 'connector',
    command: process.execPath,
    args: [join(DIST, 'apps/connector/src/main.js')],
    env,
    echo: options.echo,
  });
  const match = await proc.waitFor(/connector listening on (http:\/\/[^:"]+:(\d+))/, 60_000);
  const url = `http://127.0.0.1:${match[2]}`;
  return {
    process: proc,
    url,
    apiKey,
    env,
    api: new ConnectorApiClient(url, apiKey),
    stop: () => proc.stop(),
  };
}

/** Runs a migration command the same way the image's Job does. */
export async function runMigrations(env: Record<string, string>): Promise<string> {
  const proc = startProcess({
    name: 'migrate',
    command: process.execPath,
    args: [join(DIST, 'apps/connector/src/migrate.js')],
    env,
  });
  await new Promise<void>((r) => proc.child.on('exit', () => r()));
  if (proc.child.exitCode !== 0) throw new Error(`migrations failed:\n${proc.output()}`);
  return proc.output();
}

/** The redirect URI the e2e suites enrol their TPP with. */
export const SANDBOX_REDIRECT = 'https://tpp.example/callback';

export interface SandboxOptions {
  /** Prefix of the temporary directory (PKI, SQLite file, anything the suite writes). */
  tempPrefix: string;
  /** Redirect URIs enrolled in the mock directory; default [SANDBOX_REDIRECT]. */
  redirectUris?: string[];
  /** Options of the mock bank process. */
  bank?: { env?: Record<string, string>; echo?: boolean };
  /** 'postgres' (default): a fresh test database, migrated first; 'sqlite': a file in the temp dir. */
  database?: 'postgres' | 'sqlite';
  /** Number of connector processes on the one database; default 1. */
  replicas?: number;
  /** Start the replicas one after another instead of all at once. */
  startOneAtATime?: boolean;
  /** Extra connector environment, the same for every replica or per replica (index from 0). */
  connectorEnv?:
    Record<string, string> | ((bank: MockBankHandle, replica: number) => Record<string, string>);
  /** Run registrationJourney through the first connector (redirect: the first redirect URI). */
  register?: boolean;
  echo?: boolean;
}

export interface Sandbox {
  dir: string;
  pki: LoadedPki;
  bank: MockBankHandle;
  /** The PostgreSQL test database (throws with `database: 'sqlite'`). */
  readonly db: TestDatabase;
  apiKey: string;
  encryptionKey: string;
  connectors: ConnectorHandle[];
  /** The first connector. */
  connector: ConnectorHandle;
  /** The registration journey's result (throws unless started with `register: true`). */
  readonly registration: RegistrationJourneyResult;
  /** The connector environment for this sandbox (without the per-replica env), plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** The options to start one more connector on the same bank, database and keys. */
  connectorOptions(env?: Record<string, string>): ConnectorStartOptions;
  /** Stops the connectors and the bank, drops the database, removes the temp dir. Safe to repeat. */
  stop(): Promise<void>;
}

/**
 * The start-up every e2e suite shares: a temp dir, a test PKI, the mock bank with the TPP
 * enrolled, a database (migrated when PostgreSQL), one or more connectors with one API key and
 * encryption key, optionally the registration journey. On a failure part way, whatever already
 * started is stopped before the error is rethrown.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const redirectUris = options.redirectUris ?? [SANDBOX_REDIRECT];
  const dir = mkdtempSync(join(tmpdir(), options.tempPrefix));
  const apiKey = randomBytes(24).toString('base64url');
  const encryptionKey = randomBytes(32).toString('base64');
  const connectors: ConnectorHandle[] = [];
  let bank: MockBankHandle | undefined;
  let db: TestDatabase | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(connectors.map((c) => c.stop()));
    await bank?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const pki = await createPki(join(dir, 'pki'));
    const startedBank = await startMockBank(pki, { echo: options.echo, ...options.bank });
    bank = startedBank;
    await enrolTpp(pki, startedBank, redirectUris);
    if ((options.database ?? 'postgres') === 'postgres') db = await createTestDatabase();
    const connectorOptions = (env?: Record<string, string>): ConnectorStartOptions => ({
      pki,
      bank: startedBank,
      ...(db ? { databaseUrl: db.url } : { sqlitePath: join(dir, 'connector.sqlite') }),
      apiKey,
      encryptionKey,
      echo: options.echo,
      env,
    });
    const env = (extra?: Record<string, string>) =>
      connectorEnvironment({ ...connectorOptions(extra), apiKey, encryptionKey });
    // PostgreSQL does not migrate on start: run the migration command first, as the Helm Job does.
    if (db) await runMigrations(env());
    const replicaEnv = (i: number) =>
      typeof options.connectorEnv === 'function'
        ? options.connectorEnv(startedBank, i)
        : options.connectorEnv;
    const count = options.replicas ?? 1;
    if (options.startOneAtATime)
      for (let i = 0; i < count; i += 1)
        connectors.push(await startConnector(connectorOptions(replicaEnv(i))));
    else {
      const started = await Promise.allSettled(
        Array.from({ length: count }, (_, i) => startConnector(connectorOptions(replicaEnv(i)))),
      );
      for (const s of started) if (s.status === 'fulfilled') connectors.push(s.value);
      const failed = started.find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
    }
    const registration = options.register
      ? await registrationJourney(connectors[0].api, pki, { redirectUri: redirectUris[0] })
      : undefined;
    return {
      dir,
      pki,
      bank: startedBank,
      get db(): TestDatabase {
        if (!db) throw new Error("startSandbox: no PostgreSQL database with database: 'sqlite'");
        return db;
      },
      apiKey,
      encryptionKey,
      connectors,
      connector: connectors[0],
      get registration(): RegistrationJourneyResult {
        if (!registration) throw new Error('startSandbox: started without register: true');
        return registration;
      },
      env,
      connectorOptions,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
