import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { LoadedPki } from '../../apps/mock-bank/src/pki';
import {
  authoriseAccountAccess,
  AuthorisedConsent,
  registrationJourney,
  RegistrationJourneyResult,
} from '../support/journeys';
import { createTestDatabase, describeWithPostgres, TestDatabase } from '../support/postgres';
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
 * The connector SIGKILLed while its refresh-token request is at the bank (held there by the
 * mock bank's token-delay fault, and dropped unprocessed when the connector's connection dies):
 * a new connector process on the same database refreshes exactly once and serves the consent.
 * The dead process's row lock (SELECT … FOR UPDATE in an open transaction) goes with its
 * connection, so nothing waits for it.
 */
describeWithPostgres('connector killed mid token refresh (PostgreSQL, mTLS)', () => {
  let dir: string;
  let pki: LoadedPki;
  let bank: MockBankHandle;
  let db: TestDatabase;
  let first: ConnectorHandle;
  let second: ConnectorHandle | undefined;
  let third: ConnectorHandle | undefined;
  let registration: RegistrationJourneyResult;
  let consent: AuthorisedConsent;
  const apiKey = randomBytes(24).toString('base64url');
  const encryptionKey = randomBytes(32).toString('base64');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obc-e2e-refresh-crash-'));
    pki = await createPki(join(dir, 'pki'));
    bank = await startMockBank(pki);
    await enrolTpp(pki, bank, [REDIRECT]);
    db = await createTestDatabase();
    await runMigrations(
      connectorEnvironment({ pki, bank, databaseUrl: db.url, apiKey, encryptionKey }),
    );
    first = await startConnector({ pki, bank, databaseUrl: db.url, apiKey, encryptionKey });
    registration = await registrationJourney(first.api, pki, { redirectUri: REDIRECT });
    consent = await authoriseAccountAccess(first.api, bank, registration.bankRegistrationId);
  });

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await third?.stop();
    await bank?.admin('/faults/token-delay/reset', {}).catch(() => undefined);
    await bank?.stop();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const read = (c: ConnectorHandle) =>
    c.api.get('/v1/aisp/accounts', { 'x-account-access-consent-id': consent.consentId });
  const refreshGrants = async () => (await bank.ledger()).counts.tokenGrants.refresh_token ?? 0;
  const ledgerEvents = async (type: string) =>
    (await bank.ledger()).events.filter((e) => e.type === type).length;

  async function waitUntil(what: string, condition: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function tokenRow(): Promise<{ version: number; refreshRefusedAt: Date | null }> {
    return tokenRowOf(consent.consentId);
  }

  async function tokenRowOf(
    consentId: string,
  ): Promise<{ version: number; refreshRefusedAt: Date | null }> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const r = await client.query<{ version: number; refreshRefusedAt: Date | null }>(
        `select version, "refreshRefusedAt" from consent_token where "consentId" = $1`,
        [consentId],
      );
      expect(r.rows).toHaveLength(1);
      return r.rows[0];
    } finally {
      await client.end();
    }
  }

  it('the mock bank refuses an invalid token-delay fault', async () => {
    for (const body of [
      { ms: 0 },
      { ms: 'soon' },
      { ms: 1.5 },
      { ms: 10_000_000 },
      { grantType: 'password', ms: 10 },
      { ms: 10, once: 'yes' },
      { ms: 10, extra: true },
    ]) {
      await expect(bank.admin('/faults/token-delay', body)).rejects.toThrow(/→ 400/);
    }
    expect(await bank.admin('/faults/token-delay')).toEqual({ delay: null });
  });

  it('the next read after a restart refreshes exactly once and succeeds', async () => {
    expect((await read(first)).status).toBe(200);
    const before = await refreshGrants();
    const versionBefore = (await tokenRow()).version;
    const abandonedBefore = await ledgerEvents('token.abandoned');

    // The bank holds the next refresh request for a minute; the access token is revoked there,
    // so the next read gets 401, marks the token expired and starts a refresh under the row lock.
    await bank.admin('/faults/token-delay', { grantType: 'refresh_token', ms: 60_000 });
    await bank.admin('/tokens/expire', { consentId: consent.externalApiId });
    const inFlight = read(first).then(
      (res) => ({ status: res.status, error: undefined }),
      (error: Error) => ({ status: 0, error }),
    );
    await waitUntil('the refresh request reached the bank', async () =>
      (await ledgerEvents('token.delayed')) > 0 ? true : false,
    );
    await first.process.kill(); // SIGKILL, while the refresh is in flight and the row is locked
    expect((await inFlight).status).toBe(0); // the caller saw the connection drop

    // The bank saw the client leave and never processed the grant: the refresh token it holds
    // is still the one in the database (not rotated).
    await waitUntil('the bank dropped the request', async () =>
      (await ledgerEvents('token.abandoned')) > abandonedBefore ? true : false,
    );
    expect(await refreshGrants()).toBe(before);
    expect((await tokenRow()).version).toBe(versionBefore);

    second = await startConnector({ pki, bank, databaseUrl: db.url, apiKey, encryptionKey });
    const again = await read(second);
    expect([again.status, again.text.slice(0, 300)]).toEqual([200, again.text.slice(0, 300)]);
    expect(await refreshGrants()).toBe(before + 1);
    // Concurrent reads afterwards use the refreshed token: still one refresh.
    const many = await Promise.all(Array.from({ length: 20 }, () => read(second!)));
    expect(many.filter((r) => r.status !== 200).map((r) => r.text)).toEqual([]);
    expect(await refreshGrants()).toBe(before + 1);
    const row = await tokenRow();
    expect(row.version).toBe(versionBefore + 1);
    expect(row.refreshRefusedAt).toBeNull();
  });

  it('documented limit: if the bank rotated the refresh token and only its answer was lost, the consent needs a new authorisation (a clear 403, no retry storm)', async () => {
    // Its own consent, on the running replacement process.
    const rotated = await authoriseAccountAccess(
      second!.api,
      bank,
      registration.bankRegistrationId,
    );
    const readRotated = (c: ConnectorHandle) =>
      c.api.get<{ code?: string }>('/v1/aisp/accounts', {
        'x-account-access-consent-id': rotated.consentId,
      });
    expect((await readRotated(second!)).status).toBe(200);
    const before = await refreshGrants();
    const delayedBefore = await ledgerEvents('token.delayed');
    const lostBefore = await ledgerEvents('token.answer-lost');

    // This time the bank processes the refresh (rotating the refresh token) and holds its answer.
    await bank.admin('/faults/token-delay', {
      grantType: 'refresh_token',
      ms: 60_000,
      phase: 'after-grant',
    });
    await bank.admin('/tokens/expire', { consentId: rotated.externalApiId });
    const inFlight = readRotated(second!).then(
      (res) => res.status,
      () => 0,
    );
    await waitUntil('the bank rotated the refresh token and holds the answer', async () =>
      (await ledgerEvents('token.delayed')) > delayedBefore ? true : false,
    );
    expect(await refreshGrants()).toBe(before + 1);
    await second!.process.kill();
    expect(await inFlight).toBe(0);
    await waitUntil('the answer was lost', async () =>
      (await ledgerEvents('token.answer-lost')) > lostBefore ? true : false,
    );

    // The database still holds the consumed refresh token: the bank refuses it (and revokes the
    // grant), the refusal is recorded, and callers get a clear problem, never a 500.
    third = await startConnector({ pki, bank, databaseUrl: db.url, apiKey, encryptionKey });
    const after = await readRotated(third);
    expect([after.status, after.body.code]).toEqual([403, 'consent/not-authorised']);
    expect(await refreshGrants()).toBe(before + 1);
    expect((await tokenRowOf(rotated.consentId)).refreshRefusedAt).not.toBeNull();
    const again = await readRotated(third);
    expect([again.status, again.body.code]).toEqual([403, 'consent/not-authorised']);
    // Other consents are unaffected.
    expect((await read(third)).status).toBe(200);
    // The way back is a new consent, authorised by the PSU.
    const renewed = await authoriseAccountAccess(third.api, bank, registration.bankRegistrationId);
    const fresh = await third.api.get('/v1/aisp/accounts', {
      'x-account-access-consent-id': renewed.consentId,
    });
    expect(fresh.status).toBe(200);
  });
});
