import { randomUUID } from 'node:crypto';
import {
  authoriseConsent,
  CREDITOR,
  domesticPaymentConsent,
  RegistrationJourneyResult,
  sweepingVrpConsent,
} from '../support/journeys';
import { describeWithPostgres } from '../support/postgres';
import { ConnectorHandle, MockBankHandle, Sandbox, startSandbox } from '../support/sandbox';

jest.setTimeout(180_000);

interface Created {
  id: string;
  externalApiId: string;
  status: string;
}

interface Problem {
  code: string;
  detail: string;
  idempotencyKey?: string;
  bank?: { status: number; endpoint: string; method: string; body: unknown };
}

interface BankPayment {
  paymentId: string;
  consentId: string;
  idempotencyKey: string;
}

interface LedgerEvent {
  type: string;
  consentId?: string;
  idempotencyKey?: string;
}

/**
 * The bank's response signatures (x-jws-signature) checked per profile: the tests' mock-bank
 * profile turns messageSigning.verifyResponseSignatures on through BANK_PROFILE_OVERRIDES
 * (test/support/sandbox.ts), and the mock bank signs every PIS and VRP response.
 */
describeWithPostgres('payments: bank response signatures (PostgreSQL, mTLS)', () => {
  let sandbox: Sandbox;
  let bank: MockBankHandle;
  let connector: ConnectorHandle;
  let registration: RegistrationJourneyResult;

  beforeAll(async () => {
    sandbox = await startSandbox({ tempPrefix: 'obc-e2e-sig-', register: true });
    ({ bank, connector, registration } = sandbox);
    expect(JSON.parse(sandbox.env().BANK_PROFILE_OVERRIDES)['mock-bank'].messageSigning).toEqual({
      verifyResponseSignatures: true,
    });
  });

  afterAll(() => sandbox?.stop());

  const bankPayments = async (consentId: string) =>
    (await bank.admin<{ payments: BankPayment[] }>('/payments')).payments.filter(
      (p) => p.consentId === consentId,
    );
  const replays = async (consentId: string) =>
    ((await bank.ledger()).events as LedgerEvent[]).filter(
      (e) => e.type === 'payment.idempotent-replay' && e.consentId === consentId,
    );

  const paymentConsentBody = (amount: string) =>
    domesticPaymentConsent(registration.bankRegistrationId, amount);

  function expectSignatureProblem(
    res: { status: number; headers: Headers; body: Problem },
    key: string,
    endpoint: string,
    reason: RegExp,
  ): void {
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('bank/response-signature-invalid');
    expect(res.body.detail).toMatch(reason);
    expect(res.body.idempotencyKey).toBe(key);
    expect(res.body.bank).toMatchObject({ status: 201, endpoint, method: 'POST', body: null });
  }

  it('signed responses pass: consent, funds confirmation, payment, payment read and details', async () => {
    const consent = await connector.api.post<Created>(
      '/v1/pisp/domestic-payment-consents',
      paymentConsentBody('4.20'),
      { 'idempotency-key': randomUUID() },
    );
    expect(consent.status).toBe(201);
    await authoriseConsent(
      connector.api,
      bank,
      `/v1/pisp/domestic-payment-consents/${consent.body.id}/auth-contexts`,
    );
    const read = await connector.api.get(`/v1/pisp/domestic-payment-consents/${consent.body.id}`);
    expect(read.status).toBe(200);
    const funds = await connector.api.get(
      `/v1/pisp/domestic-payment-consents/${consent.body.id}/funds-confirmation`,
    );
    expect(funds.status).toBe(200);
    const payment = await connector.api.post<Created>(
      '/v1/pisp/domestic-payments',
      { domesticPaymentConsentId: consent.body.id },
      { 'idempotency-key': randomUUID() },
    );
    expect(payment.status).toBe(201);
    expect((await connector.api.get(`/v1/pisp/domestic-payments/${payment.body.id}`)).status).toBe(
      200,
    );
    expect(
      (await connector.api.get(`/v1/pisp/domestic-payments/${payment.body.id}/payment-details`))
        .status,
    ).toBe(200);
  });

  it('a payment answered with a bad signature: 502, and the retry with the same key gets the one payment', async () => {
    const consent = await connector.api.post<Created>(
      '/v1/pisp/domestic-payment-consents',
      paymentConsentBody('8.40'),
      { 'idempotency-key': randomUUID() },
    );
    expect(consent.status).toBe(201);
    await authoriseConsent(
      connector.api,
      bank,
      `/v1/pisp/domestic-payment-consents/${consent.body.id}/auth-contexts`,
    );
    const key = randomUUID();
    const pay = () =>
      connector.api.post<Created & Problem>(
        '/v1/pisp/domestic-payments',
        { domesticPaymentConsentId: consent.body.id },
        { 'idempotency-key': key },
      );
    await bank.admin('/faults', { responseSignature: 'bad-signature', once: true });
    const refused = await pay();
    expectSignatureProblem(refused, key, 'pisp.payment.create', /does not verify/);
    // The bank did pay; the connector used none of that answer, and lost nothing.
    const held = await bankPayments(consent.body.externalApiId);
    expect(held).toHaveLength(1);

    const retry = await pay();
    expect(retry.status).toBe(201);
    expect(retry.body.externalApiId).toBe(held[0].paymentId);
    expect(await bankPayments(consent.body.externalApiId)).toHaveLength(1);
    expect((await replays(consent.body.externalApiId)).map((e) => e.idempotencyKey)).toEqual([
      held[0].idempotencyKey,
    ]);
  });

  it('a consent answered without a signature: 502, and the retry with the same key gets the bank’s one consent', async () => {
    const key = randomUUID();
    const body = paymentConsentBody('2.10');
    await bank.admin('/faults', { responseSignature: 'no-signature', once: true });
    const refused = await connector.api.post<Problem>('/v1/pisp/domestic-payment-consents', body, {
      'idempotency-key': key,
    });
    expectSignatureProblem(refused, key, 'pisp.consent.create', /no x-jws-signature/);

    const retry = await connector.api.post<Created>('/v1/pisp/domestic-payment-consents', body, {
      'idempotency-key': key,
    });
    expect(retry.status).toBe(201);
    // The bank answered the retry from its idempotency record: the consent it made the first time.
    expect(await replays(retry.body.externalApiId)).toHaveLength(1);
  });

  it('VRP: a consent answered with a bad signature is refused and recovered the same way', async () => {
    const key = randomUUID();
    const body = sweepingVrpConsent(registration.bankRegistrationId, { CreditorAccount: CREDITOR });
    await bank.admin('/faults', { responseSignature: 'bad-signature', once: true });
    const refused = await connector.api.post<Problem>('/v1/vrp/domestic-vrp-consents', body, {
      'idempotency-key': key,
    });
    expectSignatureProblem(refused, key, 'vrp.consent.create', /does not verify/);
    const retry = await connector.api.post<Created>('/v1/vrp/domestic-vrp-consents', body, {
      'idempotency-key': key,
    });
    expect(retry.status).toBe(201);
    expect(await replays(retry.body.externalApiId)).toHaveLength(1);
  });
});
