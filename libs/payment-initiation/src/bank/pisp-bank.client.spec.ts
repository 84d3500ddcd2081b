import type { BankHttpClient } from '@obc/bank-http';
import { BankProfileRegistry, buildBankProfile, STANDARD_QUIRKS } from '@obc/bank-profiles';
import { BankCallError } from '@obc/common';
import type { DetachedJwsService } from '@obc/fapi';
import { strictMock } from '@obc/test-support/strict-mock';
import type { TokenService } from '@obc/token-management';
import { clientContext } from '../testing/fixtures';
import { PispBankClient } from './pisp-bank.client';

const profile = buildBankProfile({
  quirks: structuredClone(STANDARD_QUIRKS),
  apis: { paymentInitiation: { baseUrl: 'https://rs.bank.example/pisp/' } },
} as never);

function setup(data: unknown, bankProfile = profile) {
  const http = strictMock<BankHttpClient>({
    request: jest.fn(
      async () =>
        ({
          status: 200,
          headers: { 'x-jws-signature': 'bank-sig' },
          data,
          rawBody: JSON.stringify(data),
          interactionId: 'ia-1',
        }) as never,
    ),
  });
  const tokens = strictMock<TokenService>({
    getClientCredentialsToken: jest.fn(async () => 'cc-token'),
  });
  const jws = strictMock<DetachedJwsService>({
    sign: jest.fn(async (input: { payload: string | Buffer }) => `sig(${String(input.payload)})`),
    verifyBankResponse: jest.fn(async () => undefined),
  });
  const profiles = strictMock<BankProfileRegistry>({ get: jest.fn(() => bankProfile) });
  return {
    client: new PispBankClient(http, tokens, jws, profiles),
    http,
    tokens,
    jws,
  };
}

const signer = { organisationId: 'org-1', softwareStatementId: 'sw-1' };

describe('PispBankClient', () => {
  it('signs the exact body string it sends and sends the bank idempotency key', async () => {
    const { client, http, jws, tokens } = setup({ Data: { ConsentId: 'pdc-1', Status: 'AWAU' } });
    const payload = { Data: { Initiation: { InstructedAmount: { Amount: '1.00' } } }, Risk: {} };
    const created = await client.createConsent(clientContext(), signer, 'bank-key', payload);

    expect(tokens.getClientCredentialsToken).toHaveBeenCalledWith(clientContext(), 'payments');
    const sent = http.request.mock.calls[0][0];
    expect(typeof sent.body).toBe('string');
    expect(jws.sign).toHaveBeenCalledWith({
      payload: sent.body,
      signingKey: clientContext().signingKey,
      organisationId: 'org-1',
      softwareStatementId: 'sw-1',
    });
    expect(sent.headers).toMatchObject({
      authorization: 'Bearer cc-token',
      'x-jws-signature': `sig(${String(sent.body)})`,
      'x-idempotency-key': 'bank-key',
      'content-type': 'application/json',
    });
    expect(JSON.parse(String(sent.body))).toEqual(payload);
    expect(sent.url).toBe('https://rs.bank.example/pisp/domestic-payment-consents');
    expect(created).toMatchObject({ id: 'pdc-1', status: 'AWAU', interactionId: 'ia-1' });
  });

  it('pays with the consent access token, signed', async () => {
    const { client, http, tokens } = setup({ Data: { DomesticPaymentId: 'dp-1', Status: 'ACSC' } });
    const out = await client.createPayment(clientContext(), signer, 'k', 'consent-at', {
      Data: {},
    });
    const sent = http.request.mock.calls[0][0];
    expect(sent.headers).toMatchObject({ authorization: 'Bearer consent-at' });
    expect(sent.headers?.['x-jws-signature']).toBe(`sig(${String(sent.body)})`);
    expect(tokens.getClientCredentialsToken).not.toHaveBeenCalled();
    expect(out.id).toBe('dp-1');
  });

  it("has every response's signature checked against the profile, and uses none that fails", async () => {
    const { client, jws } = setup({ Data: { DomesticPaymentId: 'dp-1', Status: 'ACSC' } });
    const context = { ...clientContext(), bankJwksUri: 'https://auth.bank.example/jwks' };
    await client.createPayment(context, signer, 'k', 'consent-at', { Data: {} });
    expect(jws.verifyBankResponse).toHaveBeenCalledWith({
      profile,
      discoveredJwksUri: 'https://auth.bank.example/jwks',
      trustedCaPem: undefined,
      endpoint: 'pisp.payment.create',
      method: 'POST',
      response: expect.objectContaining({
        headers: { 'x-jws-signature': 'bank-sig' },
        rawBody: '{"Data":{"DomesticPaymentId":"dp-1","Status":"ACSC"}}',
      }),
    });
    const refusal = new BankCallError('bank/response-signature-invalid', 'bank-failure', 'bad', {
      status: 201,
      endpoint: 'pisp.payment.create',
      method: 'POST',
      interactionId: 'ia-1',
      body: null,
    });
    jws.verifyBankResponse.mockRejectedValueOnce(refusal);
    await expect(
      client.createPayment(context, signer, 'k', 'consent-at', { Data: {} }),
    ).rejects.toBe(refusal);
    await client.getPayment(context, 'dp-1');
    expect(jws.verifyBankResponse).toHaveBeenLastCalledWith(
      expect.objectContaining({ endpoint: 'pisp.payment.get', method: 'GET' }),
    );
  });

  it('reads responses whose Links, Debtor, Refund and Risk deviate (documented profile deviations)', async () => {
    // Lloyds brands' Links on the Lloyds host, Tide's http Links, Links.Self without the id,
    // no Debtor/Refund/Risk.ContractPresentIndicator: the id comes from Data, never from Links.
    const consent = {
      Data: { ConsentId: 'pdc-1', Status: 'AWAU', Initiation: { InstructedAmount: {} } },
      Risk: {},
      Links: {
        Self: 'http://rs1.other-host.example/open-banking/v3.1/pisp/domestic-payment-consents',
      },
    };
    const { client, http } = setup(consent);
    const created = await client.createConsent(clientContext(), signer, 'k', {
      Data: {},
      Risk: {},
    });
    expect(created).toMatchObject({ id: 'pdc-1', status: 'AWAU', body: consent });
    await client.getConsent(clientContext(), created.id);
    expect(http.request.mock.calls[1][0].url).toBe(
      'https://rs.bank.example/pisp/domestic-payment-consents/pdc-1',
    );

    const payment = {
      Data: {
        DomesticPaymentId: 'dp-1',
        Status: 'AcceptedSettlementCompleted',
        Debtor: { Name: 'x' },
      },
      Links: {},
    };
    const paid = setup(payment);
    const out = await paid.client.createPayment(clientContext(), signer, 'k', 'consent-at', {
      Data: {},
    });
    expect(out).toMatchObject({ id: 'dp-1', body: payment });
    await paid.client.getPayment(clientContext(), out.id);
    expect(paid.http.request.mock.calls[1][0].url).toBe(
      'https://rs.bank.example/pisp/domestic-payments/dp-1',
    );
  });

  it('refuses a response without Data.Status as bank/invalid-response', async () => {
    const { client } = setup({ Data: { ConsentId: 'x' } });
    await expect(client.getConsent(clientContext(), 'x')).rejects.toMatchObject({
      code: 'bank/invalid-response',
    });
  });

  it("repairs the bank's date-times only when the profile says so (quirks.responses.repairDateTimes)", async () => {
    const data = {
      Data: { ConsentId: 'pdc-1', Status: 'AWAU', CreationDateTime: '2026-12-06 10:00:00' },
    };
    const plain = await setup(data).client.getConsent(clientContext(), 'pdc-1');
    expect((plain.body.Data as Record<string, unknown>).CreationDateTime).toBe(
      '2026-12-06 10:00:00',
    );
    const repairing = structuredClone(profile);
    repairing.quirks.responses.repairDateTimes = true;
    const repaired = await setup(data, repairing).client.getConsent(clientContext(), 'pdc-1');
    expect((repaired.body.Data as Record<string, unknown>).CreationDateTime).toBe(
      '2026-12-06T10:00:00+00:00',
    );
  });

  it("sends the payment API's own financial id when the profile names one (apis.paymentInitiation.financialId)", async () => {
    const standard = setup({ Data: { ConsentId: 'pdc-1', Status: 'AWAU' } });
    await standard.client.createConsent(clientContext(), signer, 'k', { Data: {}, Risk: {} });
    expect(standard.http.request.mock.calls[0][0].financialId).toBe(clientContext().financialId);

    const lloyds = structuredClone(profile);
    lloyds.apis.paymentInitiation!.financialId = '0015800000LLOYDS';
    const other = setup({ Data: { ConsentId: 'pdc-1', Status: 'AWAU' } }, lloyds);
    await other.client.createConsent(clientContext(), signer, 'k', { Data: {}, Risk: {} });
    expect(other.http.request.mock.calls[0][0].financialId).toBe('0015800000LLOYDS');
  });

  it('asks for the b64 JOSE header only when the profile says so (messageSigning.b64Header)', async () => {
    const standard = setup({ Data: { ConsentId: 'pdc-1', Status: 'AWAU' } });
    await standard.client.createConsent(clientContext(), signer, 'k', { Data: {}, Risk: {} });
    expect(standard.jws.sign.mock.calls[0][0]).not.toHaveProperty('b64Header');

    const tsb = structuredClone(profile);
    tsb.messageSigning.b64Header = true;
    const quirky = setup({ Data: { ConsentId: 'pdc-1', Status: 'AWAU' } }, tsb);
    await quirky.client.createConsent(clientContext(), signer, 'k', { Data: {}, Risk: {} });
    expect(quirky.jws.sign).toHaveBeenCalledWith(expect.objectContaining({ b64Header: true }));
  });
});
