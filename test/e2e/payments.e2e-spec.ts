import { randomUUID } from 'node:crypto';
import {
  authorisedPaymentConsent as authorisedConsentAt,
  authoriseConsent,
  CREDITOR,
  RegistrationJourneyResult,
  sweepingVrpConsent,
  sweepingVrpPayment,
} from '../support/journeys';
import { describeWithPostgres } from '../support/postgres';
import { ConnectorHandle, MockBankHandle, Sandbox, startSandbox } from '../support/sandbox';

jest.setTimeout(180_000);

interface Created {
  id: string;
  externalApiId: string;
  status: string;
  externalApiResponse: { Data: Record<string, unknown> };
}

interface BankPayment {
  kind: string;
  paymentId: string;
  consentId: string;
  idempotencyKey: string;
}

/** Payments end to end over real mTLS: signed requests, idempotency, the bank's ledger. */
describeWithPostgres('payments and VRP end to end (PostgreSQL, mTLS)', () => {
  let sandbox: Sandbox;
  let bank: MockBankHandle;
  let connector: ConnectorHandle;
  let registration: RegistrationJourneyResult;

  beforeAll(async () => {
    sandbox = await startSandbox({ tempPrefix: 'obc-e2e-pay-', register: true });
    ({ bank, connector, registration } = sandbox);
  });

  afterAll(() => sandbox?.stop());

  const bankPayments = async () =>
    (await bank.admin<{ payments: BankPayment[] }>('/payments')).payments;

  const authorisedPaymentConsent = (amount = '10.50') =>
    authorisedConsentAt<Created>(connector.api, bank, registration.bankRegistrationId, amount);

  it('PIS: consent, authorisation, funds confirmation, payment, payment read and details', async () => {
    const consent = await authorisedPaymentConsent();
    const funds = await connector.api.get<{ Data: Record<string, unknown> }>(
      `/v1/pisp/domestic-payment-consents/${consent.id}/funds-confirmation`,
    );
    expect(funds.status).toBe(200);
    expect(JSON.stringify(funds.body)).toContain('FundsAvailable');

    const key = randomUUID();
    const payment = await connector.api.post<Created>(
      '/v1/pisp/domestic-payments',
      { domesticPaymentConsentId: consent.id },
      { 'idempotency-key': key },
    );
    expect(payment.status).toBe(201);
    expect(payment.headers.get('idempotency-key')).toBe(key);
    const read = await connector.api.get<Created>(`/v1/pisp/domestic-payments/${payment.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.externalApiId).toBe(payment.body.externalApiId);
    const details = await connector.api.get(
      `/v1/pisp/domestic-payments/${payment.body.id}/payment-details`,
    );
    expect(details.status).toBe(200);

    // The same key and body again: the first result, no second payment at the bank.
    const again = await connector.api.post<Created>(
      '/v1/pisp/domestic-payments',
      { domesticPaymentConsentId: consent.id },
      { 'idempotency-key': key },
    );
    expect(again.body.id).toBe(payment.body.id);
    const held = (await bankPayments()).filter((p) => p.consentId === consent.externalApiId);
    expect(held).toHaveLength(1);

    // The same key with another body: 422.
    const other = await connector.api.post(
      '/v1/pisp/domestic-payments',
      { domesticPaymentConsentId: consent.id, reference: 'different' },
      { 'idempotency-key': key },
    );
    expect(other.status).toBe(422);
    // A consumed consent is refused before any bank call.
    const ledgerBefore = (await bank.ledger()).events.length;
    const second = await connector.api.post<{ code: string }>('/v1/pisp/domestic-payments', {
      domesticPaymentConsentId: consent.id,
    });
    expect([second.status, second.body.code]).toEqual([409, 'consent/consumed']);
    expect((await bank.ledger()).events.length).toBe(ledgerBefore);
    expect(
      (await bankPayments()).filter((p) => p.consentId === consent.externalApiId),
    ).toHaveLength(1);
  });

  it('a response lost after the bank committed: the retry with the same key yields one payment', async () => {
    const consent = await authorisedPaymentConsent('7.00');
    const key = randomUUID();
    await bank.admin('/faults/payments', { mode: 'cut-after-commit', once: true });
    // The connector's bank client repeats the POST with the same x-idempotency-key and body
    // (its call policy), so the bank replays the first result instead of paying twice.
    const first = await connector.api.post<Created>(
      '/v1/pisp/domestic-payments',
      { domesticPaymentConsentId: consent.id },
      { 'idempotency-key': key },
    );
    expect(first.status).toBe(201);
    const retry = await connector.api.post<Created>(
      '/v1/pisp/domestic-payments',
      { domesticPaymentConsentId: consent.id },
      { 'idempotency-key': key },
    );
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    const held = (await bankPayments()).filter((p) => p.consentId === consent.externalApiId);
    expect(held).toHaveLength(1);
    const replays = (await bank.ledger()).events.filter(
      (e) => e.type === 'payment.idempotent-replay',
    );
    expect(replays.length).toBeGreaterThanOrEqual(1);
  });

  it('100 concurrent requests with one idempotency key create exactly one payment', async () => {
    const consent = await authorisedPaymentConsent('3.00');
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        connector.api.post<Created>(
          '/v1/pisp/domestic-payments',
          { domesticPaymentConsentId: consent.id },
          { 'idempotency-key': key },
        ),
      ),
    );
    const ok = results.filter((r) => r.status === 201);
    expect(ok.length).toBeGreaterThan(0);
    expect(new Set(ok.map((r) => r.body.id)).size).toBe(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.body).toMatchObject({ code: 'idempotency/in-progress' });
    }
    const held = (await bankPayments()).filter((p) => p.consentId === consent.externalApiId);
    expect(held).toHaveLength(1);
  });

  it('VRP: consent, authorisation, funds confirmation, three payments of which the one beyond the limit is refused', async () => {
    const initiation = { CreditorAccount: CREDITOR };
    const consent = await connector.api.post<Created>(
      '/v1/vrp/domestic-vrp-consents',
      sweepingVrpConsent(registration.bankRegistrationId, initiation),
      { 'idempotency-key': randomUUID() },
    );
    expect(consent.status).toBe(201);
    await authoriseConsent(
      connector.api,
      bank,
      `/v1/vrp/domestic-vrp-consents/${consent.body.id}/auth-contexts`,
    );
    const funds = await connector.api.post(
      `/v1/vrp/domestic-vrp-consents/${consent.body.id}/funds-confirmation`,
      {
        externalApiRequest: {
          Data: { Reference: 'check', InstructedAmount: { Amount: '45.00', Currency: 'GBP' } },
        },
      },
    );
    expect(funds.status).toBe(201);
    const pay = (n: number) =>
      connector.api.post<
        Created & { code?: string; bank?: { body: { Errors: { ErrorCode: string }[] } } }
      >(
        '/v1/vrp/domestic-vrps',
        sweepingVrpPayment(consent.body.id, initiation, '45.00', String(n)),
        { 'idempotency-key': randomUUID() },
      );
    expect((await pay(1)).status).toBe(201);
    expect((await pay(2)).status).toBe(201);
    const third = await pay(3);
    expect(third.status).toBe(422);
    expect(third.body.code).toBe('bank/request-rejected');
    expect(third.body.bank?.body.Errors[0].ErrorCode).toBeDefined();
    const held = (await bankPayments()).filter((p) => p.consentId === consent.body.externalApiId);
    expect(held).toHaveLength(2);
  });

  it('bad input is refused before any bank call', async () => {
    // A consent the customer has not authorised yet (made before the ledger is read).
    const pending = await connector.api.post<Created>(
      '/v1/pisp/domestic-payment-consents',
      {
        bankRegistrationId: registration.bankRegistrationId,
        externalApiRequest: {
          Data: {
            Initiation: {
              InstructionIdentification: 'p',
              EndToEndIdentification: 'p',
              InstructedAmount: { Amount: '5.00', Currency: 'GBP' },
              CreditorAccount: CREDITOR,
            },
          },
          Risk: {},
        },
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(pending.status).toBe(201);
    const authorised = await authorisedPaymentConsent('6.00');
    const before = (await bankPayments()).length;
    const ledgerBefore = (await bank.ledger()).events.length;
    const consent = (amount: string, currency = 'GBP') =>
      connector.api.post<{ code: string }>('/v1/pisp/domestic-payment-consents', {
        bankRegistrationId: registration.bankRegistrationId,
        externalApiRequest: {
          Data: {
            Initiation: {
              InstructionIdentification: 'i',
              EndToEndIdentification: 'e',
              InstructedAmount: { Amount: amount, Currency: currency },
              CreditorAccount: CREDITOR,
            },
          },
          Risk: {},
        },
      });
    for (const [amount, currency, code] of [
      ['-1.00', 'GBP', 'payment/invalid-amount'],
      ['ten', 'GBP', 'payment/invalid-amount'],
      ['1.00', 'XXZ', 'payment/unknown-currency'],
    ]) {
      const res = await consent(amount, currency);
      expect([amount, currency, res.status, res.body.code]).toEqual([amount, currency, 400, code]);
    }
    const noControls = await connector.api.post<{ code: string }>('/v1/vrp/domestic-vrp-consents', {
      bankRegistrationId: registration.bankRegistrationId,
      externalApiRequest: { Data: { Initiation: { CreditorAccount: CREDITOR } }, Risk: {} },
    });
    expect(noControls.status).toBe(400);
    expect(noControls.body.code).toBe('vrp/control-parameters-missing');

    const notAuthorised = await connector.api.post<{ code: string }>('/v1/pisp/domestic-payments', {
      domesticPaymentConsentId: pending.body.id,
    });
    expect(notAuthorised.status).toBe(403);
    expect(notAuthorised.body.code).toBe('consent/not-authorised');

    const consentData = authorised.externalApiResponse.Data as {
      Initiation: Record<string, unknown>;
    };
    const mismatch = await connector.api.post<{ code: string }>('/v1/pisp/domestic-payments', {
      domesticPaymentConsentId: authorised.id,
      externalApiRequest: {
        Data: {
          ConsentId: authorised.externalApiId,
          Initiation: {
            ...consentData.Initiation,
            InstructedAmount: { Amount: '600.00', Currency: 'GBP' },
          },
        },
        Risk: {},
      },
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.code).toBe('payment/consent-mismatch');
    expect((await bankPayments()).length).toBe(before);
    expect((await bank.ledger()).events.length).toBe(ledgerBefore);
  });
});
