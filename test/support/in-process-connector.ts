import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureApp } from '@obc/http-api';
import { Client } from 'pg';
import { AppModule } from '../../apps/connector/src/app.module';
import { httpsRequest } from '../../apps/mock-bank/src/testing/https-request';
import {
  REDIRECT_URI,
  startTestBank,
  type TestBank,
} from '../../apps/mock-bank/src/testing/test-bank';
import { ConnectorApiClient } from './api-client';
import { createTestDatabase, type TestDatabase } from './postgres';

/**
 * The real connector application (AppModule with the validation pipe, problem filter and API-key
 * guard, as main.ts wires it) served in this process on 127.0.0.1, on a fresh PostgreSQL
 * database, with the mock bank also in this process. For integration tests that drive the whole
 * HTTP surface without building dist/.
 */
export interface InProcessSandbox {
  app: INestApplication;
  url: string;
  apiKey: string;
  api: ConnectorApiClient;
  testBank: TestBank;
  /** The mock bank's admin routes (`/__admin/...`), as journeys.ts expects them. */
  bank: { admin<T = unknown>(path: string, body?: unknown): Promise<T> };
  db: TestDatabase;
  /** A plain pg client on the test database, for counting and dumping rows. */
  sql: Client;
  redirectUri: string;
  stop(): Promise<void>;
}

export async function startInProcessSandbox(): Promise<InProcessSandbox> {
  const testBank = await startTestBank();
  const db = await createTestDatabase();
  const apiKey = randomBytes(24).toString('base64url');
  const bankUrl = testBank.bank.url;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'fatal',
    API_KEYS: apiKey,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    DATABASE_URL: db.url,
    DATABASE_MIGRATE_ON_START: 'true',
    BANK_CA_BUNDLE_FILE: join(testBank.pkiDir, testBank.pki.manifest.files.ca),
    BANK_PROFILE_OVERRIDES: JSON.stringify({
      'mock-bank': {
        issuerUrl: bankUrl,
        apis: {
          accountAndTransaction: { baseUrl: `${bankUrl}/open-banking/v4.0/aisp` },
          paymentInitiation: { baseUrl: `${bankUrl}/open-banking/v4.0/pisp` },
          variableRecurringPayments: { baseUrl: `${bankUrl}/open-banking/v4.0/vrp` },
        },
      },
    }),
    DIRECTORY_SANDBOX_TOKEN_URL: `${bankUrl}/directory/token`,
    DIRECTORY_SANDBOX_SSA_URL: `${bankUrl}/directory/organisation/{organisationId}/software-statement/{softwareId}/software-statement-assertion`,
  };
  let app: INestApplication | undefined;
  let sql: Client | undefined;
  try {
    app = await NestFactory.create(AppModule.forRoot({ env }), {
      // Errors only: the problem filter logs the cause of any 500, which the tests then report.
      logger: ['error', 'fatal'],
      abortOnError: false,
    });
    configureApp(app);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    const url = `http://127.0.0.1:${port}`;
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    const started = app;
    const client = sql;
    return {
      app: started,
      url,
      apiKey,
      api: new ConnectorApiClient(url, apiKey),
      testBank,
      bank: {
        admin: async <T>(path: string, body?: unknown): Promise<T> => {
          const res = await httpsRequest(`${bankUrl}/__admin${path}`, testBank.noCert, {
            method: body === undefined ? 'GET' : 'POST',
            headers: body === undefined ? {} : { 'content-type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          if (res.status >= 300) throw new Error(`mock bank ${path}: ${res.status} ${res.text}`);
          return (res.text ? JSON.parse(res.text) : undefined) as T;
        },
      },
      db,
      sql: client,
      redirectUri: REDIRECT_URI,
      stop: async () => {
        await client.end().catch(() => undefined);
        await started.close();
        await testBank.stop();
        await db.drop();
      },
    };
  } catch (error) {
    await sql?.end().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await testBank.stop();
    await db.drop();
    throw error;
  }
}

/** Row count and content digest of every table but the migrations table. */
export type TableSnapshot = Record<string, { rows: number; digest: string | null }>;

export async function snapshotTables(sql: Client): Promise<TableSnapshot> {
  const { rows: tables } = await sql.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations'
      ORDER BY table_name`,
  );
  const snapshot: TableSnapshot = {};
  for (const { table_name: table } of tables) {
    const { rows } = await sql.query<{ rows: string; digest: string | null }>(
      `SELECT count(*) AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM "${table}" t`,
    );
    snapshot[table] = { rows: Number(rows[0].rows), digest: rows[0].digest };
  }
  return snapshot;
}
