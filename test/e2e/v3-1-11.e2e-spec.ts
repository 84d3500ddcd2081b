import { randomUUID } from 'node:crypto';
import {
  authoriseAccountAccess,
  authoriseConsent,
  CREDITOR,
  RegistrationJourneyResult,
  sweepingVrpConsent,
  sweepingVrpPayment,
} from '../support/journeys';
import { ConnectorHandle, MockBankHandle, Sandbox, startSandbox } from '../support/sandbox';

jest.setTimeout(180_000);

interface Created {
  id: string;
  externalApiId: string;
  status: string;
  externalApiResponse: {
    Data: Record<string, unknown>;
    Risk?: Record<string, unknown>;
    Links?: { Self: string };
  };
}

interface ObList {
  Data: Record<string, Record<string, unknown>[]>;
  Links: { Self: string };
}

/**
 * A bank on OB v3.1.11 for all three APIs: the mock-bank profile overridden to v3.1.11 and the
 * mock bank's /open-banking/v3.1 paths (requests and responses checked against the v3.1.11
 * documents). The connector's API stays v4.0 throughout.
 */
describe('a v3.1.11 bank end to end (SQLite, mTLS)', () => {
  let sandbox: Sandbox;
  let bank: MockBankHandle;
  let connector: ConnectorHandle;
  let registration: RegistrationJourneyResult;

  beforeAll(async () => {
    sandbox = await startSandbox({
      tempPrefix: 'obc-e2e-v311-',
      database: 'sqlite',
      connectorEnv: (bank) => {
        const v3 = (path: string) => ({ version: 'v3.1.11', baseUrl: `${bank.url}${path}` });
        return {
          BANK_PROFILE_OVERRIDES: JSON.stringify({
            'mock-bank': {
              issuerUrl: bank.url,
              apis: {
                accountAndTransaction: v3('/open-banking/v3.1/aisp'),
                paymentInitiation: v3('/open-banking/v3.1/pisp'),
                // The v3.1.11 VRP document's server is /open-banking/v3.1/pisp.
                variableRecurringPayments: v3('/open-banking/v3.1/pisp'),
              },
              // The v3.1.11 front signs what it sends: the connector checks those signatures.
              messageSigning: { verifyResponseSignatures: true },
            },
          }),
        };
      },
      register: true,
    });
    ({ bank, connector, registration } = sandbox);
  });

  afterAll(() => sandbox?.stop());

  it('the profile says v3.1.11 for every API', async () => {
    const profile = await connector.api.get<{ apiVersions: Record<string, string> }>(
      '/v1/manage/bank-profiles/mock-bank',
    );
    expect(profile.status).toBe(200);
    expect(profile.body.apiVersions).toEqual({
      accountAndTransaction: 'v3.1.11',
      paymentInitiation: 'v3.1.11',
      variableRecurringPayments: 'v3.1.11',
    });
  });

  it('AIS: consent, authorisation, accounts, balances and transactions in v4.0 codes, revocation', async () => {
    const consent = await authoriseAccountAccess(
      connector.api,
      bank,
      registration.bankRegistrationId,
    );
    expect(consent.steps.map((s) => s.status)).toEqual([201, 201, 200]);
    const got = await connector.api.get<{ status: string }>(
      `/v1/aisp/account-access-consents/${consent.consentId}`,
    );
    expect(got.body.status).toBe('AUTH');

    const read = (path: string) =>
      connector.api.get<ObList>(path, { 'x-account-access-consent-id': consent.consentId });
    const accounts = await read('/v1/aisp/accounts');
    expect(accounts.status).toBe(200);
    const account = accounts.body.Data.Account[0];
    expect(account).toMatchObject({ AccountCategory: expect.any(String) });
    expect(account).not.toHaveProperty('AccountType');
    expect(accounts.body.Links.Self.startsWith(`${connector.url}/v1/aisp/accounts`)).toBe(true);

    const balances = await read(`/v1/aisp/accounts/${String(account.AccountId)}/balances`);
    expect(balances.status).toBe(200);
    for (const balance of balances.body.Data.Balance) expect(balance.Type).toMatch(/^[A-Z]{4}$/); // ISO codes, not v3.1.11 words

    const transactions = await read(`/v1/aisp/accounts/${String(account.AccountId)}/transactions`);
    expect(transactions.status).toBe(200);
    expect(transactions.body.Data.Transaction.length).toBeGreaterThan(0);
    for (const t of transactions.body.Data.Transaction) expect(t.Status).toMatch(/^[A-Z]{4}$/);

    // Revoked at the bank (DELETE on the v3.1.11 path).
    const revoked = await connector.api.delete(
      `/v1/aisp/account-access-consents/${consent.consentId}`,
    );
    expect(revoked.status).toBeLessThan(300);
  });

  it('PIS: consent, authorisation, funds check, payment, read and details; a field v3.1.11 lacks is refused', async () => {
    const initiation = {
      InstructionIdentification: `i-${randomUUID().slice(0, 8)}`,
      EndToEndIdentification: `e-${randomUUID().slice(0, 8)}`,
      InstructedAmount: { Amount: '12.34', Currency: 'GBP' },
      CreditorAccount: CREDITOR,
      RemittanceInformation: {
        Unstructured: ['Invoice 42'],
        Structured: [{ CreditorReferenceInformation: { Reference: 'INV-42' } }],
      },
    };
    const consent = await connector.api.post<Created>(
      '/v1/pisp/domestic-payment-consents',
      {
        bankRegistrationId: registration.bankRegistrationId,
        externalApiRequest: {
          Data: { Initiation: initiation },
          Risk: { ContractPresentIndicator: true },
        },
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(consent.status).toBe(201);
    expect(consent.body.status).toBe('AWAU');
    // The bank's v3.1.11 echo, read back as v4.0.
    expect(consent.body.externalApiResponse.Data.Initiation).toEqual(initiation);
    expect(consent.body.externalApiResponse.Risk).toEqual({ ContractPresentIndicator: true });
    // Served on the v3.1.11 path: the bank's own Links say so.
    expect(JSON.stringify(consent.body.externalApiResponse)).toContain(
      `${bank.url}/open-banking/v3.1/pisp/domestic-payment-consents/${consent.body.externalApiId}`,
    );

    await authoriseConsent(
      connector.api,
      bank,
      `/v1/pisp/domestic-payment-consents/${consent.body.id}/auth-contexts`,
    );
    const funds = await connector.api.get<{ Data: { FundsAvailableResult?: unknown } }>(
      `/v1/pisp/domestic-payment-consents/${consent.body.id}/funds-confirmation`,
    );
    expect(funds.status).toBe(200);
    expect(JSON.stringify(funds.body)).toContain('FundsAvailable');
    const payment = await connector.api.post<Created>(
      '/v1/pisp/domestic-payments',
      { domesticPaymentConsentId: consent.body.id },
      { 'idempotency-key': randomUUID() },
    );
    expect(payment.status).toBe(201);
    expect(payment.body.status).toMatch(/^[A-Z]{4}$/);
    const read = await connector.api.get<Created>(`/v1/pisp/domestic-payments/${payment.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.externalApiId).toBe(payment.body.externalApiId);
    const details = await connector.api.get<{
      Data: { PaymentStatus: { Status: string }[] };
    }>(`/v1/pisp/domestic-payments/${payment.body.id}/payment-details`);
    expect(details.status).toBe(200);

    // A v4.0-only field is refused before any bank call.
    const eventsBefore = (await bank.ledger()).events.length;
    const refused = await connector.api.post<{ code: string; errors: { field: string }[] }>(
      '/v1/pisp/domestic-payment-consents',
      {
        bankRegistrationId: registration.bankRegistrationId,
        externalApiRequest: {
          Data: { Initiation: { ...initiation, UltimateCreditor: { Name: 'Someone Else' } } },
          Risk: {},
        },
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('bank-profile/unsupported-by-version');
    expect(JSON.stringify(refused.body.errors)).toContain('Data.Initiation.UltimateCreditor');
    expect((await bank.ledger()).events.length).toBe(eventsBefore);
  });

  it('VRP: consent, authorisation, funds check, payment, read and details', async () => {
    const initiation = { CreditorAccount: CREDITOR };
    const consent = await connector.api.post<Created>(
      '/v1/vrp/domestic-vrp-consents',
      sweepingVrpConsent(registration.bankRegistrationId, initiation),
      { 'idempotency-key': randomUUID() },
    );
    expect(consent.status).toBe(201);
    expect(consent.body.status).toBe('AWAU');
    await authoriseConsent(
      connector.api,
      bank,
      `/v1/vrp/domestic-vrp-consents/${consent.body.id}/auth-contexts`,
    );
    const funds = await connector.api.post(
      `/v1/vrp/domestic-vrp-consents/${consent.body.id}/funds-confirmation`,
      {
        externalApiRequest: {
          Data: { Reference: 'check', InstructedAmount: { Amount: '20.00', Currency: 'GBP' } },
        },
      },
    );
    expect(funds.status).toBe(201);
    const vrp = await connector.api.post<Created>(
      '/v1/vrp/domestic-vrps',
      sweepingVrpPayment(consent.body.id, initiation, '20.00', '1'),
      { 'idempotency-key': randomUUID() },
    );
    expect(vrp.status).toBe(201);
    expect(vrp.body.status).toMatch(/^[A-Z]{4}$/);
    const read = await connector.api.get<Created>(`/v1/vrp/domestic-vrps/${vrp.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.externalApiId).toBe(vrp.body.externalApiId);
    const details = await connector.api.get<{ Data: { PaymentStatus: { Status: string }[] } }>(
      `/v1/vrp/domestic-vrps/${vrp.body.id}/payment-details`,
    );
    expect(details.status).toBe(200);
  });

  it('the bank refused nothing under its v3.1.11 validation and answered only valid v3.1.11', async () => {
    const { events } = await bank.ledger();
    expect(
      events.filter((e) =>
        ['spec.rejected', 'spec.response-invalid', 'jws.rejected'].includes(e.type),
      ),
    ).toEqual([]);
    const served = events.filter((e) =>
      ['ais.read', 'payment.created', 'vrp.created'].includes(e.type),
    );
    expect(new Set(served.map((e) => e.type))).toEqual(
      new Set(['ais.read', 'payment.created', 'vrp.created']),
    );
  });
});
