import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { LoadedPki } from '../../apps/mock-bank/src/pki';
import { ApiResponse } from '../support/api-client';
import {
  authoriseConsent,
  CREDITOR,
  domesticPaymentConsent,
  registrationJourney,
  RegistrationJourneyResult,
  sweepingVrpConsent,
  sweepingVrpPayment,
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
 * Short enough for a test to wait out, long enough that a retry made right after the crash is
 * still inside it on a busy machine; longer than BANK_HTTP_TIMEOUT_MS, as the connector demands.
 */
const LOCK_SECONDS = 40;
const CONNECTOR_ENV = {
  IDEMPOTENCY_LOCK_SECONDS: String(LOCK_SECONDS),
  BANK_HTTP_TIMEOUT_MS: '30000',
};
/** The bank holds its answer far longer than the test needs to kill the connector. */
const BANK_DELAY_MS = 120_000;

interface Created {
  id: string;
  externalApiId: string;
  status: string;
}

interface BankPayment {
  kind: string;
  paymentId: string;
  consentId: string;
  idempotencyKey: string;
}

interface PaymentEvent {
  type: string;
  consentId?: string;
  paymentId?: string;
  idempotencyKey?: string;
}

/**
 * The connector process dies between the bank's commit and its own: the bank holds the payment,
 * the connector's idempotency record is still in progress with the dead process's lock. Another
 * replica refuses a retry while the lock lasts (no second bank call); a connector started again
 * takes the key over once the lock has expired and re-sends the same x-idempotency-key, so the
 * bank replays its first answer: exactly one payment.
 */
describeWithPostgres('payments: the connector killed between the bank call and its commit', () => {
  let dir: string;
  let pki: LoadedPki;
  let bank: MockBankHandle;
  let db: TestDatabase;
  let apiKey: string;
  let encryptionKey: string;
  const connectors: ConnectorHandle[] = [];
  let registration: RegistrationJourneyResult;

  const start = async (): Promise<ConnectorHandle> => {
    const c = await startConnector({
      pki,
      bank,
      databaseUrl: db.url,
      apiKey,
      encryptionKey,
      env: CONNECTOR_ENV,
    });
    connectors.push(c);
    return c;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obc-e2e-crash-'));
    pki = await createPki(join(dir, 'pki'));
    bank = await startMockBank(pki);
    await enrolTpp(pki, bank, [REDIRECT]);
    db = await createTestDatabase();
    apiKey = randomBytes(24).toString('base64url');
    encryptionKey = randomBytes(32).toString('base64');
    await runMigrations(
      connectorEnvironment({ pki, bank, databaseUrl: db.url, apiKey, encryptionKey }),
    );
    const first = await start();
    registration = await registrationJourney(first.api, pki, { redirectUri: REDIRECT });
  });

  afterAll(async () => {
    for (const c of connectors) await c.stop();
    await bank?.stop();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const bankPayments = async (consentId: string) =>
    (await bank.admin<{ payments: BankPayment[] }>('/payments')).payments.filter(
      (p) => p.consentId === consentId,
    );
  const paymentEvents = async (consentId: string) =>
    ((await bank.ledger()).events as PaymentEvent[]).filter(
      (e) => e.consentId === consentId && /^(payment|vrp)\./.test(e.type),
    );

  /** The connector's own rows for a consent, straight from its database. */
  async function localRows(
    table: 'domestic_payment' | 'domestic_vrp',
    consentId: string,
  ): Promise<{ id: string; externalApiId: string }[]> {
    const column =
      table === 'domestic_payment' ? 'domesticPaymentConsentId' : 'domesticVrpConsentId';
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const result = await client.query<{ id: string; externalApiId: string }>(
        `SELECT id, "externalApiId" FROM ${table} WHERE "${column}" = $1`,
        [consentId],
      );
      return result.rows;
    } finally {
      await client.end();
    }
  }

  /** Polls until the bank has committed a payment under the consent. */
  async function committedAtBank(consentId: string): Promise<BankPayment> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const held = await bankPayments(consentId);
      if (held.length > 0) return held[0];
      if (Date.now() > deadline) throw new Error(`no payment committed for ${consentId}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Retries with the same key and body until the (dead) holder's lock has expired. */
  async function retryUntilTakenOver(
    send: () => Promise<ApiResponse<Created & { code?: string }>>,
  ): Promise<ApiResponse<Created & { code?: string }>> {
    const deadline = Date.now() + (LOCK_SECONDS + 90) * 1000;
    for (;;) {
      const res = await send();
      if (res.status !== 409 || Date.now() > deadline) return res;
      expect(res.body.code).toBe('idempotency/in-progress');
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }

  /**
   * The crash itself: `send` goes to `victim` while the bank delays its answer; once the bank
   * has committed, the victim is SIGKILLed. Then `witness` (a live replica) is asked with the
   * same key inside the lock time, and a connector started afresh after it.
   */
  async function crashDuringBankCall(
    consentExternalId: string,
    victim: ConnectorHandle,
    witness: ConnectorHandle,
    send: (c: ConnectorHandle) => Promise<ApiResponse<Created & { code?: string }>>,
  ): Promise<{ result: ApiResponse<Created & { code?: string }>; restarted: ConnectorHandle }> {
    await bank.admin('/faults/payments', {
      mode: 'delay-after-commit',
      delayMs: BANK_DELAY_MS,
      once: true,
    });
    const first = send(victim).then(
      (r) => r.status,
      () => 'connection lost' as const,
    );
    const committed = await committedAtBank(consentExternalId);
    await victim.process.kill();
    // The caller never heard back: the process died before answering.
    expect(await first).toBe('connection lost');

    // Inside the lock time another replica refuses the retry and does not call the bank.
    const early = await send(witness);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('idempotency/in-progress');
    expect(early.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const events = await paymentEvents(consentExternalId);
    expect(events.map((e) => e.type)).toEqual([expect.stringMatching(/\.created$/)]);

    const restarted = await start();
    const result = await retryUntilTakenOver(() => send(restarted));
    // One payment at the bank; the retry re-sent the very x-idempotency-key it was made with.
    const held = await bankPayments(consentExternalId);
    expect(held).toHaveLength(1);
    expect(held[0].paymentId).toBe(committed.paymentId);
    const after = await paymentEvents(consentExternalId);
    expect(after.map((e) => [e.type, e.idempotencyKey])).toEqual([
      [expect.stringMatching(/\.created$/), committed.idempotencyKey],
      ['payment.idempotent-replay', committed.idempotencyKey],
    ]);
    return { result, restarted };
  }

  it('a domestic payment: the connector restarted on the same database makes it once', async () => {
    const [victim] = connectors;
    const witness = await start();
    const consent = await victim.api.post<Created>(
      '/v1/pisp/domestic-payment-consents',
      domesticPaymentConsent(registration.bankRegistrationId, '12.34'),
      { 'idempotency-key': randomUUID() },
    );
    expect(consent.status).toBe(201);
    await authoriseConsent(
      victim.api,
      bank,
      `/v1/pisp/domestic-payment-consents/${consent.body.id}/auth-contexts`,
    );
    const key = randomUUID();
    const send = (c: ConnectorHandle) =>
      c.api.post<Created & { code?: string }>(
        '/v1/pisp/domestic-payments',
        { domesticPaymentConsentId: consent.body.id },
        { 'idempotency-key': key },
      );
    const { result, restarted } = await crashDuringBankCall(
      consent.body.externalApiId,
      victim,
      witness,
      send,
    );
    expect(result.status).toBe(201);
    expect(result.headers.get('idempotency-key')).toBe(key);
    const held = await bankPayments(consent.body.externalApiId);
    expect(result.body.externalApiId).toBe(held[0].paymentId);
    // Now completed: any replica replays the stored result without a bank call.
    const replay = await send(witness);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(result.body.id);
    // The connector's own commit happened on the retry: the consent is consumed.
    const read = await restarted.api.get<{ status: string }>(
      `/v1/pisp/domestic-payment-consents/${consent.body.id}`,
      { 'x-exclude-external-api-operation': 'true' },
    );
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('COND');
    expect((await paymentEvents(consent.body.externalApiId)).length).toBe(2);
    // One local payment for the one bank payment, read back by the id the caller got.
    const local = await restarted.api.get<Created>(`/v1/pisp/domestic-payments/${result.body.id}`, {
      'x-exclude-external-api-operation': 'true',
    });
    expect(local.status).toBe(200);
    expect(local.body.externalApiId).toBe(held[0].paymentId);
    expect(await localRows('domestic_payment', consent.body.id)).toEqual([
      { id: result.body.id, externalApiId: held[0].paymentId },
    ]);
  });

  it('a VRP: the connector restarted on the same database makes it once', async () => {
    // The connector restarted by the previous test is the victim now; the witness stays.
    const victim = connectors[connectors.length - 1];
    const witness = connectors[1];
    const consent = await victim.api.post<Created>(
      '/v1/vrp/domestic-vrp-consents',
      sweepingVrpConsent(registration.bankRegistrationId, { CreditorAccount: CREDITOR }),
      { 'idempotency-key': randomUUID() },
    );
    expect(consent.status).toBe(201);
    await authoriseConsent(
      victim.api,
      bank,
      `/v1/vrp/domestic-vrp-consents/${consent.body.id}/auth-contexts`,
    );
    const key = randomUUID();
    const send = (c: ConnectorHandle) =>
      c.api.post<Created & { code?: string }>(
        '/v1/vrp/domestic-vrps',
        sweepingVrpPayment(consent.body.id, { CreditorAccount: CREDITOR }, '20.00', 'crash'),
        { 'idempotency-key': key },
      );
    const { result } = await crashDuringBankCall(consent.body.externalApiId, victim, witness, send);
    expect(result.status).toBe(201);
    const held = await bankPayments(consent.body.externalApiId);
    expect(result.body.externalApiId).toBe(held[0].paymentId);
    expect(await localRows('domestic_vrp', consent.body.id)).toEqual([
      { id: result.body.id, externalApiId: held[0].paymentId },
    ]);
  });
});
