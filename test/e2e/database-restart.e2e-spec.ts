import { AUTHORISED_CONSENT_TTL_MS } from '../../libs/account-access/src/consents/account-access-consent.repository';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadedPki } from '../../apps/mock-bank/src/pki';
import { ApiResponse } from '../support/api-client';
import {
  authoriseAccountAccess,
  AuthorisedConsent,
  registrationJourney,
  RegistrationJourneyResult,
} from '../support/journeys';
import {
  describeWithPrivatePostgres,
  PrivatePostgres,
  startPrivatePostgres,
} from '../support/private-postgres';
import {
  connectorEnvironment,
  ConnectorHandle,
  createPki,
  enrolTpp,
  MockBankHandle,
  runMigrations,
  startConnector,
  startMockBank,
} from '../support/sandbox';

jest.setTimeout(300_000);

const REDIRECT = 'https://tpp.example/callback';

/**
 * PostgreSQL restarted under a running connector: on a private server (never the shared one),
 * the connector answers 503 `database/unavailable` while the database is away, reports not
 * ready, and serves again once it is back, without being restarted itself.
 */
describeWithPrivatePostgres('PostgreSQL restarted mid-run (private server)', () => {
  let dir: string;
  let pki: LoadedPki;
  let bank: MockBankHandle;
  let pg: PrivatePostgres;
  let connector: ConnectorHandle;
  let registration: RegistrationJourneyResult;
  let consent: AuthorisedConsent;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obc-e2e-pg-restart-'));
    pki = await createPki(join(dir, 'pki'));
    [bank, pg] = await Promise.all([startMockBank(pki), startPrivatePostgres()]);
    await enrolTpp(pki, bank, [REDIRECT]);
    const keys = { apiKey: 'pg-restart-key-0123456789', encryptionKey: 'A'.repeat(43) + '=' };
    await runMigrations(connectorEnvironment({ pki, bank, databaseUrl: pg.url, ...keys }));
    connector = await startConnector({ pki, bank, databaseUrl: pg.url, ...keys });
    registration = await registrationJourney(connector.api, pki, { redirectUri: REDIRECT });
    consent = await authoriseAccountAccess(connector.api, bank, registration.bankRegistrationId);
  });

  afterAll(async () => {
    await connector?.stop();
    await bank?.stop();
    await pg?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const accounts = () =>
    connector.api.get('/v1/aisp/accounts', { 'x-account-access-consent-id': consent.consentId });
  const consentRead = () =>
    connector.api.get(`/v1/aisp/account-access-consents/${consent.consentId}`);

  /** Retries `call` until it answers `status` (the pool reconnects on demand). */
  async function eventually(
    call: () => Promise<ApiResponse>,
    status: number,
    timeoutMs = 60_000,
  ): Promise<ApiResponse> {
    const deadline = Date.now() + timeoutMs;
    let last: ApiResponse;
    for (;;) {
      last = await call();
      if (last.status === status || Date.now() > deadline) return last;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** While the database is away: a 503 problem with the stable code, never a 500. */
  function expectUnavailable(res: ApiResponse): void {
    expect([res.status, (res.body as { code?: string }).code]).toEqual([
      503,
      'database/unavailable',
    ]);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  }

  it('serves before, answers 503 database/unavailable while stopped, and serves again after a restart', async () => {
    expect((await accounts()).status).toBe(200);
    expect((await connector.api.get('/health/ready')).status).toBe(200);

    await pg.stop();
    try {
      // Database-backed routes: the consent read, an account read (consent lookup), a write.
      expectUnavailable(await consentRead());
      // An account read may still be served from this replica's memory (the authorised consent
      // is cached for AUTHORISED_CONSENT_TTL_MS, the registration and token longer); once the
      // consent cache has expired it needs the database.
      const warm = await accounts();
      expect([200, 503]).toContain(warm.status);
      if (warm.status === 503) expectUnavailable(warm);
      await new Promise((r) => setTimeout(r, AUTHORISED_CONSENT_TTL_MS + 500));
      expectUnavailable(await accounts());
      expectUnavailable(
        await connector.api.post('/v1/aisp/account-access-consents', {
          bankRegistrationId: registration.bankRegistrationId,
          templateRequest: { type: 'MaximumPermissions' },
        }),
      );
      const ready = await connector.api.get<{ code: string; checks: string[] }>('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.code).toBe('health/not-ready');
      expect(ready.body.checks).toContain('database');
      // The process did not crash: liveness still answers.
      expect((await connector.api.get('/health/live')).status).toBe(200);
    } finally {
      await pg.start();
    }

    expect((await eventually(() => connector.api.get('/health/ready'), 200)).status).toBe(200);
    expect((await eventually(consentRead, 200)).status).toBe(200);
    const after = await eventually(accounts, 200);
    expect(after.status).toBe(200);
    expect(connector.process.child.exitCode).toBeNull();
  });

  it('pg_ctl restart -m fast under load: calls during it fail with 503 at worst, later calls succeed', async () => {
    expect((await accounts()).status).toBe(200);
    // Reads in flight while the server restarts (every pooled connection is terminated).
    let stop = false;
    let restarting = false;
    const statuses: { status: number; code?: string; duringRestart: boolean }[] = [];
    const load = (async () => {
      while (!stop) {
        const duringRestart = restarting;
        const res = await consentRead();
        const code = (res.body as { code?: string }).code;
        statuses.push({ status: res.status, code, duringRestart });
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    restarting = true;
    await pg.restart();
    restarting = false;
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await load;
    // Requests really were sent while the server went down and came back.
    expect(statuses.filter((s) => s.duringRestart).length).toBeGreaterThan(0);
    const unexpected = statuses
      .filter((s) => s.status !== 200 && !(s.status === 503 && s.code === 'database/unavailable'))
      .map(({ status, code }) => ({ status, code }));
    expect(unexpected).toEqual([]);

    // The first calls after the restart may still meet a terminated pooled connection; the
    // pool replaces it and the calls succeed without restarting the connector.
    expect((await eventually(consentRead, 200)).status).toBe(200);
    const read = await eventually(accounts, 200);
    expect(read.status).toBe(200);
    for (let i = 0; i < 5; i += 1) expect((await accounts()).status).toBe(200);
    // A write works too: a new consent and its auth context.
    const created = await connector.api.post<{ id: string }>('/v1/aisp/account-access-consents', {
      bankRegistrationId: registration.bankRegistrationId,
      templateRequest: { type: 'MaximumPermissions' },
    });
    expect(created.status).toBe(201);
    expect((await connector.api.get('/health/ready')).status).toBe(200);
    expect(connector.process.child.exitCode).toBeNull();
  });
});
