import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { LoadedPki } from '../../apps/mock-bank/src/pki';
import { ApiResponse } from '../support/api-client';
import {
  authoriseAccountAccess,
  AuthorisedConsent,
  authorisedPaymentConsent as authorisedConsentAt,
  redirectParameters,
  registrationJourney,
  RegistrationJourneyResult,
} from '../support/journeys';
import { createTestDatabase, describeWithPostgres, TestDatabase } from '../support/postgres';
import { issueServerCertificate } from '../support/server-certificates';
import {
  connectorEnvironment,
  ConnectorHandle,
  createPki,
  enrolTpp,
  freePort,
  MockBankHandle,
  REPO_ROOT,
  runMigrations,
  startConnector,
  startMockBank,
} from '../support/sandbox';

jest.setTimeout(240_000);

const REDIRECT = 'https://tpp.example/callback';
const ACCOUNTS_PATH = '/open-banking/v4.0/aisp/accounts';
const PAYMENTS_PATH = '/open-banking/v4.0/pisp/domestic-payments';

/**
 * The connector's short call policy for this suite: short enough to keep the run quick, long
 * enough that a healthy call on a busy machine never times out. The slow fault waits far longer.
 */
const POLICY_ENV = {
  BANK_HTTP_TIMEOUT_MS: '20000',
  BANK_HTTP_READ_TIMEOUT_MS: '3000',
  BANK_HTTP_PAYMENT_TIMEOUT_MS: '3000',
  BANK_HTTP_RETRY_MAX_ATTEMPTS: '3',
  BANK_HTTP_RETRY_BASE_DELAY_MS: '50',
  BANK_HTTP_RETRY_MAX_DELAY_MS: '200',
  BANK_HTTP_RETRY_AFTER_MAX_SECONDS: '3',
  BANK_HTTP_CIRCUIT_FAILURE_THRESHOLD: '4',
  // Long enough that the calls made while the circuit is open never outlast it under load.
  BANK_HTTP_CIRCUIT_OPEN_MS: '8000',
};
const SLOW_MS = 9_000;

interface Problem {
  code: string;
  status: number;
  detail: string;
  bank?: { status: number | null; endpoint: string; interactionId?: string };
}

interface LedgerEvent {
  type: string;
  endpoint?: string;
  error?: string;
  consentId?: string;
  idempotencyKey?: string;
}

interface BankPayment {
  paymentId: string;
  consentId: string;
  idempotencyKey: string;
}

/** An HTTPS server that would answer anything, but whose certificate the connector must refuse. */
async function startTlsServer(certificatePem: string, privateKeyPem: string) {
  let requests = 0;
  const server: Server = createServer({ cert: certificatePem, key: privateKeyPem }, (_req, res) => {
    requests++;
    res.writeHead(201, { 'content-type': 'application/json' }).end('{"Data":{}}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * Bank faults end to end: the mock bank misbehaves on the wire (its /__admin/faults/network), the
 * connector (a separate process on PostgreSQL, real mTLS) answers each with a clear problem, retries
 * only what is safe, opens a circuit per bank profile and never loses or doubles anything.
 *
 * Profiles (in an extra profile directory): `mock-bank` (the bank at localhost), `mock-bank-b` (the
 * same bank reached as 127.0.0.1: another profile with its own circuit, untouched by faults aimed
 * at host localhost), `mock-bank-down` (resource API on a closed port), `mock-bank-untrusted` and
 * `mock-bank-wrong-host` (resource API on a server presenting a certificate from an untrusted CA, or
 * from the trusted CA but for another host).
 */
describeWithPostgres('bank faults end to end (PostgreSQL, mTLS, call policy)', () => {
  let dir: string;
  let pki: LoadedPki;
  let bank: MockBankHandle;
  let db: TestDatabase;
  let connector: ConnectorHandle;
  let registration: RegistrationJourneyResult;
  let consent: AuthorisedConsent;
  let consentB: AuthorisedConsent;
  let untrusted: Awaited<ReturnType<typeof startTlsServer>>;
  let wrongHost: Awaited<ReturnType<typeof startTlsServer>>;
  const registrations: Record<string, string> = {};

  function writeProfile(
    profilesDir: string,
    id: string,
    issuer: string,
    resources: string,
    extra: Record<string, unknown> = {},
  ): void {
    const base = JSON.parse(
      readFileSync(join(REPO_ROOT, 'bank-profiles/mock-bank.json'), 'utf8'),
    ) as Record<string, unknown>;
    delete base.$schema;
    const profile = {
      ...base,
      id,
      displayName: `Mock Bank (${id})`,
      issuerUrl: issuer,
      apis: {
        accountAndTransaction: { version: 'v4.0', baseUrl: `${resources}/open-banking/v4.0/aisp` },
        paymentInitiation: { version: 'v4.0', baseUrl: `${resources}/open-banking/v4.0/pisp` },
      },
      ...extra,
    };
    writeFileSync(join(profilesDir, `${id}.json`), JSON.stringify(profile, null, 2));
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obc-e2e-faults-'));
    pki = await createPki(join(dir, 'pki'));
    bank = await startMockBank(pki);
    await enrolTpp(pki, bank, [REDIRECT]);
    untrusted = await startTlsServer(pki.pem.untrustedTransport, pki.pem.untrustedTransportKey);
    // Signed by the trusted CA, but for another host than the 127.0.0.1 it is reached at.
    const otherHost = await issueServerCertificate(pki, 'bank.invalid');
    wrongHost = await startTlsServer(otherHost.certificatePem, otherHost.privateKeyPem);
    const closedPort = await freePort();

    const profilesDir = join(dir, 'profiles');
    mkdirSync(profilesDir);
    const sameBankByIp = bank.url.replace('//localhost:', '//127.0.0.1:');
    // Its own call policy: no retries (the profile's callPolicy over the BANK_HTTP_* settings).
    writeProfile(profilesDir, 'mock-bank-b', bank.url, sameBankByIp, {
      callPolicy: { retry: { maxAttempts: 1 } },
    });
    writeProfile(profilesDir, 'mock-bank-down', bank.url, `https://127.0.0.1:${closedPort}`);
    writeProfile(profilesDir, 'mock-bank-untrusted', bank.url, untrusted.url);
    writeProfile(profilesDir, 'mock-bank-wrong-host', bank.url, wrongHost.url);

    db = await createTestDatabase();
    const apiKey = randomBytes(24).toString('base64url');
    const encryptionKey = randomBytes(32).toString('base64');
    const env = { ...POLICY_ENV, BANK_PROFILES_EXTRA_DIR: profilesDir };
    await runMigrations(
      connectorEnvironment({ pki, bank, databaseUrl: db.url, apiKey, encryptionKey, env }),
    );
    connector = await startConnector({
      pki,
      bank,
      databaseUrl: db.url,
      apiKey,
      encryptionKey,
      env,
    });
    registration = await registrationJourney(connector.api, pki, { redirectUri: REDIRECT });
    registrations['mock-bank'] = registration.bankRegistrationId;
    for (const profile of [
      'mock-bank-b',
      'mock-bank-down',
      'mock-bank-untrusted',
      'mock-bank-wrong-host',
    ]) {
      const res = await connector.api.post<{ id: string }>('/v1/manage/bank-registrations', {
        bankProfile: profile,
        softwareStatementId: registration.softwareStatementId,
      });
      if (res.status !== 201) throw new Error(`registration with ${profile}: ${res.text}`);
      registrations[profile] = res.body.id;
    }
    consent = await authoriseAccountAccess(connector.api, bank, registrations['mock-bank']);
    consentB = await authoriseAccountAccess(connector.api, bank, registrations['mock-bank-b']);
  });

  afterAll(async () => {
    await connector?.stop();
    await bank?.stop();
    await untrusted?.close();
    await wrongHost?.close();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  afterEach(async () => {
    await bank.admin('/faults/network/reset', {});
  });

  const readAccounts = (consentId = consent.consentId) =>
    connector.api.get<Problem & { Data?: { Account?: unknown[] } }>('/v1/aisp/accounts', {
      'x-account-access-consent-id': consentId,
    });

  const setFault = (fault: Record<string, unknown>) =>
    // Faults aim at host localhost: the `mock-bank` profile, never `mock-bank-b` (127.0.0.1).
    bank.admin('/faults/network', { host: 'localhost', ...fault });

  const events = async (): Promise<LedgerEvent[]> =>
    (await bank.ledger()).events as unknown as LedgerEvent[];

  /** Requests to `path` the bank saw fault-hit since the ledger had `since` events. */
  const faultHits = async (since: number, path = ACCOUNTS_PATH): Promise<number> =>
    (await events())
      .slice(since)
      .filter((e) => e.type === 'network.fault' && e.endpoint?.includes(path)).length;

  function expectProblem(res: ApiResponse<Problem>, status: number, code: string): void {
    expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.detail.length).toBeGreaterThan(10);
  }

  async function query<T extends Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  /** A healthy read: also resets the bank's run of consecutive failures in the circuit. */
  async function expectHealthyRead(consentId = consent.consentId): Promise<void> {
    const res = await readAccounts(consentId);
    expect(res.status).toBe(200);
    expect(res.body.Data?.Account?.length).toBeGreaterThan(0);
  }

  it('reads normally when the bank behaves', async () => {
    await expectHealthyRead();
    await expectHealthyRead(consentB.consentId);
  });

  it('5xx: a GET is retried and succeeds when the bank recovers within the attempts', async () => {
    const since = (await events()).length;
    await setFault({ fault: 'status', status: 500, times: 2 });
    await expectHealthyRead();
    expect(await faultHits(since)).toBe(2);
    const reads = (await events())
      .slice(since)
      .filter((e) => e.type === 'ais.read' && e.consentId === consent.externalApiId);
    expect(reads).toHaveLength(1);
  });

  it('5xx: after every attempt fails the caller gets 502 bank/server-error with the bank status', async () => {
    const since = (await events()).length;
    await setFault({ fault: 'status', status: 503 });
    const res = await readAccounts();
    expectProblem(res, 502, 'bank/server-error');
    expect(res.body.bank?.status).toBe(503);
    // The interaction id sent to the bank, in the header as on a success (API.md).
    expect(res.headers.get('x-fapi-interaction-id')).toBe(res.body.bank?.interactionId);
    expect(res.headers.get('x-fapi-interaction-id')).toBeTruthy();
    expect(await faultHits(since)).toBe(3);
    await bank.admin('/faults/network/reset', {});
    await expectHealthyRead();
  });

  it("a profile's callPolicy overrides the settings for that bank only (mock-bank-b: no retries)", async () => {
    const since = (await events()).length;
    await bank.admin('/faults/network', { fault: 'status', status: 500, host: '127.0.0.1' });
    const res = await readAccounts(consentB.consentId);
    expectProblem(res, 502, 'bank/server-error');
    expect(await faultHits(since)).toBe(1);
    await bank.admin('/faults/network/reset', {});
    await expectHealthyRead(consentB.consentId);
  });

  it('429: waits the Retry-After the bank asks for, then succeeds', async () => {
    const since = (await events()).length;
    await setFault({ fault: 'rate-limit', retryAfter: 1, times: 1 });
    const started = Date.now();
    await expectHealthyRead();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(await faultHits(since)).toBe(1);
  });

  it('429: a Retry-After beyond the cap goes to the caller at once as 429 bank/rate-limited with Retry-After', async () => {
    const since = (await events()).length;
    await setFault({ fault: 'rate-limit', retryAfter: 120 });
    const res = await readAccounts();
    expectProblem(res, 429, 'bank/rate-limited');
    expect(res.headers.get('retry-after')).toBe('120');
    expect(await faultHits(since)).toBe(1);
  });

  it('slow past the timeout: retried, then 504 bank/timeout', async () => {
    const since = (await events()).length;
    await setFault({ fault: 'slow', delayMs: SLOW_MS });
    const res = await readAccounts();
    expectProblem(res, 504, 'bank/timeout');
    expect(res.body.bank?.status).toBeNull();
    expect(await faultHits(since)).toBe(3);
    await bank.admin('/faults/network/reset', {});
    await expectHealthyRead();
  });

  it('malformed JSON: 502 bank/invalid-response, not retried', async () => {
    const since = (await events()).length;
    await setFault({ fault: 'malformed-json' });
    const res = await readAccounts();
    expectProblem(res, 502, 'bank/invalid-response');
    expect(await faultHits(since)).toBe(1);
  });

  it('truncated response: retried, then 502 bank/incomplete-response', async () => {
    const since = (await events()).length;
    await setFault({ fault: 'truncate' });
    const res = await readAccounts();
    expectProblem(res, 502, 'bank/incomplete-response');
    expect(res.body.bank?.status).toBe(200);
    expect(await faultHits(since)).toBe(3);
    await bank.admin('/faults/network/reset', {});
    await expectHealthyRead();
  });

  it('accept-then-reset: retried, then 502 bank/connection-reset; recovers when the bank does', async () => {
    const since = (await events()).length;
    await setFault({ fault: 'reset' });
    const res = await readAccounts();
    expectProblem(res, 502, 'bank/connection-reset');
    expect(await faultHits(since)).toBe(3);
    await bank.admin('/faults/network/reset', {});
    await expectHealthyRead();
  });

  it('circuit: opens after repeated failures, fails fast with 503 bank/circuit-open while another bank profile works, closes after the cool-down', async () => {
    await expectHealthyRead(); // a clean run of failures starts here
    const since = (await events()).length;
    await setFault({ fault: 'status', status: 503 });
    // 3 failed attempts, then the 4th (the next call's first) opens the circuit: no more tries.
    expectProblem(await readAccounts(), 502, 'bank/server-error');
    expectProblem(await readAccounts(), 502, 'bank/server-error');
    expect(await faultHits(since)).toBe(4);

    const fast = await readAccounts();
    expectProblem(fast, 503, 'bank/circuit-open');
    expect(Number(fast.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(fast.headers.get('retry-after'))).toBeLessThanOrEqual(8);
    expect(await faultHits(since)).toBe(4); // failed fast: nothing reached the bank

    // Another profile (its own circuit) is unaffected, through the same connector.
    await expectHealthyRead(consentB.consentId);

    const metrics = await connector.api.get('/metrics');
    expect(metrics.text).toMatch(/obc_bank_circuit_state\{profile="mock-bank"\} 2/);

    // The bank recovers; after the cool-down one probe goes through and closes the circuit.
    await bank.admin('/faults/network/reset', {});
    const until = Date.now() + 60_000;
    let last: ApiResponse<Problem>;
    for (;;) {
      last = await readAccounts();
      if (last.status === 200) break;
      expectProblem(last, 503, 'bank/circuit-open');
      if (Date.now() > until) throw new Error('the circuit did not close after its cool-down');
      await new Promise((r) => setTimeout(r, 500));
    }
    await expectHealthyRead();
  });

  it('token endpoint 5xx on the authorization-code exchange: never retried (single-use code), no token row', async () => {
    const created = await connector.api.post<{ id: string }>('/v1/aisp/account-access-consents', {
      bankRegistrationId: registrations['mock-bank'],
      templateRequest: { type: 'MaximumPermissions' },
    });
    expect(created.status).toBe(201);
    const ctx = await connector.api.post<{ authUrl: string }>(
      `/v1/aisp/account-access-consents/${created.body.id}/auth-contexts`,
      {},
    );
    expect(ctx.status).toBe(201);
    const { redirectUrl } = await bank.admin<{ redirectUrl: string }>('/authorise', {
      authUrl: ctx.body.authUrl,
      decision: 'approve',
    });
    const since = (await events()).length;
    await setFault({ fault: 'status', status: 503, target: 'token', times: 1 });
    const res = await connector.api.post<Problem>(
      '/v1/auth/redirect-delegate',
      redirectParameters(redirectUrl),
    );
    expectProblem(res, 502, 'bank/server-error');
    expect(await faultHits(since, '/token')).toBe(1);
    const grants = (await events()).slice(since).filter((e) => e.type === 'token.granted');
    expect(grants).toEqual([]);
    const tokens = await query<{ n: string }>(
      'select count(*) as n from consent_token where "consentId" = $1',
      [created.body.id],
    );
    expect(Number(tokens[0].n)).toBe(0);
  });

  it('bank down (port closed): 502 bank/unreachable, and no consent row is stored', async () => {
    const res = await connector.api.post<Problem>('/v1/aisp/account-access-consents', {
      bankRegistrationId: registrations['mock-bank-down'],
      templateRequest: { type: 'MaximumPermissions' },
    });
    expectProblem(res, 502, 'bank/unreachable');
    const rows = await query(
      'select id from account_access_consent where "bankRegistrationId" = $1',
      [registrations['mock-bank-down']],
    );
    expect(rows).toEqual([]);
  });

  it.each([
    ['an untrusted CA', 'mock-bank-untrusted', /TLS.*(UNABLE_TO_VERIFY|SELF_SIGNED|CERT)/],
    ['the wrong host name', 'mock-bank-wrong-host', /TLS.*ERR_TLS_CERT_ALTNAME_INVALID/],
  ])(
    'TLS: a bank certificate from %s is a clear bank/tls-* problem, never retried into success',
    async (_what, profile, expected) => {
      const server = profile === 'mock-bank-untrusted' ? untrusted : wrongHost;
      const res = await connector.api.post<Problem>('/v1/aisp/account-access-consents', {
        bankRegistrationId: registrations[profile],
        templateRequest: { type: 'MaximumPermissions' },
      });
      expect(res.status).toBe(502);
      expect(`${res.body.code} ${res.body.detail}`).toMatch(/^bank\/tls-/);
      expect(res.body.detail).toMatch(expected);
      expect(server.requests()).toBe(0);
      const rows = await query(
        'select id from account_access_consent where "bankRegistrationId" = $1',
        [registrations[profile]],
      );
      expect(rows).toEqual([]);
    },
  );

  const bankPayments = async () =>
    (await bank.admin<{ payments: BankPayment[] }>('/payments')).payments;

  const authorisedPaymentConsent = (amount: string) =>
    authorisedConsentAt<{ id: string; externalApiId: string }>(
      connector.api,
      bank,
      registrations['mock-bank'],
      amount,
    );

  async function connectorPayments(consentId: string): Promise<{ externalApiId: string }[]> {
    return query<{ externalApiId: string }>(
      'select "externalApiId" from domestic_payment where "domesticPaymentConsentId" = $1',
      [consentId],
    );
  }

  it('payments: a 5xx on the payment POST is retried with the same key: one payment at the bank', async () => {
    const paymentConsent = await authorisedPaymentConsent('4.00');
    const since = (await events()).length;
    await setFault({
      fault: 'status',
      status: 503,
      method: 'POST',
      pathPrefix: PAYMENTS_PATH,
      times: 1,
    });
    const res = await connector.api.post<{ id: string; externalApiId: string }>(
      '/v1/pisp/domestic-payments',
      { domesticPaymentConsentId: paymentConsent.id },
      { 'idempotency-key': randomUUID() },
    );
    expect(res.status).toBe(201);
    const held = (await bankPayments()).filter((p) => p.consentId === paymentConsent.externalApiId);
    expect(held).toHaveLength(1);
    expect(held[0].paymentId).toBe(res.body.externalApiId);
    const hits = (await events())
      .slice(since)
      .filter((e) => e.type === 'network.fault' && e.endpoint?.includes(PAYMENTS_PATH));
    expect(hits).toHaveLength(1);
    // the retry carried the key of the failed attempt
    expect(hits[0].idempotencyKey).toBe(held[0].idempotencyKey);
    expect(await connectorPayments(paymentConsent.id)).toEqual([
      { externalApiId: held[0].paymentId },
    ]);
  });

  it('payments: a timeout on the payment POST is retried with the same key and body: the bank replays, one payment', async () => {
    const paymentConsent = await authorisedPaymentConsent('5.00');
    const since = (await events()).length;
    await setFault({
      fault: 'slow',
      delayMs: SLOW_MS,
      method: 'POST',
      pathPrefix: PAYMENTS_PATH,
      times: 1,
    });
    const res = await connector.api.post<{ id: string; externalApiId: string }>(
      '/v1/pisp/domestic-payments',
      { domesticPaymentConsentId: paymentConsent.id },
      { 'idempotency-key': randomUUID() },
    );
    expect(res.status).toBe(201);
    // The bank made the payment on the first attempt but answered too late; the connector's
    // retry carried the same key and the same bytes, so the bank answered it by idempotent
    // replay (a different body would have been refused, a new key would have paid twice).
    const after = (await events()).slice(since);
    expect(after.filter((e) => e.type === 'payment.created')).toHaveLength(1);
    expect(after.filter((e) => e.type === 'payment.idempotent-replay')).toHaveLength(1);
    const held = (await bankPayments()).filter((p) => p.consentId === paymentConsent.externalApiId);
    expect(held).toHaveLength(1);
    expect(held[0].paymentId).toBe(res.body.externalApiId);
    expect(await connectorPayments(paymentConsent.id)).toHaveLength(1);
  });

  it('nothing is lost: token rows intact and reads work after every fault', async () => {
    const tokens = await query<{ n: string }>(
      'select count(*) as n from consent_token where "consentId" = $1',
      [consent.consentId],
    );
    expect(Number(tokens[0].n)).toBe(1);
    await expectHealthyRead();
    await expectHealthyRead(consentB.consentId);
  });
});
