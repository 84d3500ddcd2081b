import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  authoriseConsent,
  domesticPaymentConsent,
  RegistrationJourneyResult,
} from '../support/journeys';
import { describeWithPostgres, TestDatabase } from '../support/postgres';
import { ConnectorHandle, MockBankHandle, Sandbox, startSandbox } from '../support/sandbox';

jest.setTimeout(180_000);

interface Created {
  id: string;
  externalApiId: string;
  status: string;
}

interface Problem {
  code: string;
  title: string;
  detail: string;
  idempotencyReplayed?: boolean;
}

interface StoredTokenRow {
  accessToken: string;
  refreshToken: string | null;
}

/**
 * A payment consent whose token response carries no refresh token (the bank quirk
 * quirks.tokenEndpoint.noRefreshTokenForPayments, played by the mock bank's `no-refresh-token`
 * fault), on two connector processes sharing one PostgreSQL: authorised through replica A, paid
 * through replica B, which has never seen the token and reads it (encrypted) from the database.
 */
describeWithPostgres('payments: a consent without a refresh token, used from any replica', () => {
  let sandbox: Sandbox;
  let bank: MockBankHandle;
  let db: TestDatabase;
  let replicaA: ConnectorHandle;
  let replicaB: ConnectorHandle;
  let registration: RegistrationJourneyResult;

  beforeAll(async () => {
    sandbox = await startSandbox({ tempPrefix: 'obc-e2e-replicas-', replicas: 2, register: true });
    ({ bank, db, registration } = sandbox);
    [replicaA, replicaB] = sandbox.connectors;
  });

  afterAll(() => sandbox?.stop());

  const bankPayments = async (consentId: string) =>
    (
      await bank.admin<{ payments: { consentId: string; paymentId: string }[] }>('/payments')
    ).payments.filter((p) => p.consentId === consentId);

  async function storedTokens(consentId: string): Promise<StoredTokenRow[]> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const result = await client.query<StoredTokenRow>(
        `SELECT "accessToken", "refreshToken" FROM consent_token WHERE "consentType" = 'domestic-payment' AND "consentId" = $1`,
        [consentId],
      );
      return result.rows;
    } finally {
      await client.end();
    }
  }

  /** Created and authorised through replica A; the bank's token response has no refresh token. */
  async function consentWithoutRefreshToken(amount: string): Promise<Created> {
    const consent = await replicaA.api.post<Created>(
      '/v1/pisp/domestic-payment-consents',
      domesticPaymentConsent(registration.bankRegistrationId, amount),
      { 'idempotency-key': randomUUID() },
    );
    expect(consent.status).toBe(201);
    // Not a once-fault: whichever token response comes next, the code exchange has none.
    await bank.admin('/faults', { tokenResponse: 'no-refresh-token', once: false });
    try {
      await authoriseConsent(
        replicaA.api,
        bank,
        `/v1/pisp/domestic-payment-consents/${consent.body.id}/auth-contexts`,
      );
    } finally {
      await bank.admin('/faults/reset', {});
    }
    // Stored encrypted, without a refresh token: nothing in the row is a token in clear.
    const rows = await storedTokens(consent.body.id);
    expect(rows).toHaveLength(1);
    expect(rows[0].refreshToken).toBeNull();
    const issued = await bank.issuedSecrets();
    expect(issued.some((secret) => rows[0].accessToken.includes(secret))).toBe(false);
    return consent.body;
  }

  it('authorised on replica A, paid on replica B from the stored token', async () => {
    const consent = await consentWithoutRefreshToken('5.55');
    const payment = await replicaB.api.post<Created>(
      '/v1/pisp/domestic-payments',
      { domesticPaymentConsentId: consent.id },
      { 'idempotency-key': randomUUID() },
    );
    expect(payment.status).toBe(201);
    const held = await bankPayments(consent.externalApiId);
    expect(held).toHaveLength(1);
    expect(payment.body.externalApiId).toBe(held[0].paymentId);
  });

  it('once the access token has expired, the caller is told to re-authorise and the bank is not paid', async () => {
    const consent = await consentWithoutRefreshToken('6.66');
    const expired = await bank.admin<{ expired: number }>('/tokens/expire', {
      consentId: consent.externalApiId,
    });
    expect(expired.expired).toBeGreaterThan(0);
    const key = randomUUID();
    const pay = (replica: ConnectorHandle) =>
      replica.api.post<Problem>(
        '/v1/pisp/domestic-payments',
        { domesticPaymentConsentId: consent.id },
        { 'idempotency-key': key },
      );
    const refused = await pay(replicaB);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused.body.code).toBe('consent/expired');
    expect(refused.body.detail).toMatch(
      /no refresh token; the PSU must authorise the consent again/,
    );
    expect(await bankPayments(consent.externalApiId)).toHaveLength(0);

    // The same key on the other replica: the same answer, replayed, still no payment.
    const again = await pay(replicaA);
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ code: 'consent/expired', idempotencyReplayed: true });
    expect(await bankPayments(consent.externalApiId)).toHaveLength(0);
  });
});
