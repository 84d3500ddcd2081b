import type { BankHttpClient } from '@obc/bank-http';
import { BankProfileRegistry, buildBankProfile } from '@obc/bank-profiles';
import type { DetachedJwsService } from '@obc/fapi';
import { strictMock } from '@obc/test-support/strict-mock';
import type { TokenService } from '@obc/token-management';
import { clientContext } from '../testing/fixtures';
import { PispBankClient } from './pisp-bank.client';

const BASE = 'https://rs.bank.example/open-banking/v3.1/pisp';
const profile = buildBankProfile({
  apis: { paymentInitiation: { version: 'v3.1.11', baseUrl: BASE } },
});

function setup(data: unknown) {
  const http = strictMock<BankHttpClient>({
    request: jest.fn(
      async () =>
        ({
          status: 200,
          headers: {},
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
  const profiles = strictMock<BankProfileRegistry>({ get: jest.fn(() => profile) });
  return { client: new PispBankClient(http, tokens, jws, profiles), http, tokens, jws };
}

const signer = { organisationId: 'org-1', softwareStatementId: 'sw-1' };
const initiation = {
  InstructionIdentification: 'i-1',
  EndToEndIdentification: 'e-1',
  InstructedAmount: { Amount: '10.00', Currency: 'GBP' },
  CreditorAccount: {
    SchemeName: 'UK.OBIE.SortCodeAccountNumber',
    Identification: '11280001234567',
    Name: 'Shop',
  },
  RemittanceInformation: {
    Unstructured: ['Invoice 1'],
    Structured: [{ CreditorReferenceInformation: { Reference: 'INV-1' } }],
  },
};

describe('PispBankClient on a v3.1.11 bank', () => {
  it('signs and sends the v3.1.11 body and reads the v3.1.11 consent as v4.0', async () => {
    const { client, http, jws } = setup({
      Data: {
        ConsentId: 'pdc-1',
        Status: 'AwaitingAuthorisation',
        Initiation: {
          ...initiation,
          RemittanceInformation: { Unstructured: 'Invoice 1', Reference: 'INV-1' },
        },
      },
      Risk: { ContractPresentInidicator: true },
    });
    const created = await client.createConsent(clientContext(), signer, 'bank-key', {
      Data: { Initiation: initiation },
      Risk: { ContractPresentIndicator: true },
    });

    const sent = http.request.mock.calls[0][0];
    expect(sent.url).toBe(`${BASE}/domestic-payment-consents`);
    expect(JSON.parse(String(sent.body))).toEqual({
      Data: {
        Initiation: {
          ...initiation,
          RemittanceInformation: { Unstructured: 'Invoice 1', Reference: 'INV-1' },
        },
      },
      Risk: { ContractPresentInidicator: true },
    });
    expect(jws.sign).toHaveBeenCalledWith(expect.objectContaining({ payload: sent.body }));
    expect(created.status).toBe('AWAU');
    expect(created.body).toEqual({
      Data: { ConsentId: 'pdc-1', Status: 'AWAU', Initiation: initiation },
      Risk: { ContractPresentIndicator: true },
    });
  });

  it('refuses a field v3.1.11 cannot carry before any bank call (no token either)', async () => {
    const { client, http, tokens } = setup({});
    await expect(
      client.createConsent(clientContext(), signer, 'k', {
        Data: { Initiation: { ...initiation, UltimateDebtor: { Name: 'Someone' } } },
        Risk: {},
      }),
    ).rejects.toMatchObject({
      code: 'bank-profile/unsupported-by-version',
      errors: [{ field: 'Data.Initiation.UltimateDebtor' }],
    });
    expect(http.request).not.toHaveBeenCalled();
    expect(tokens.getClientCredentialsToken).not.toHaveBeenCalled();
  });

  it('reads payment status and details in v4.0 codes', async () => {
    const { client } = setup({
      Data: { DomesticPaymentId: 'dp-1', Status: 'AcceptedSettlementInProcess' },
    });
    expect((await client.getPayment(clientContext(), 'dp-1')).status).toBe('ACSP');
    const details = setup({
      Data: {
        PaymentStatus: [
          {
            PaymentTransactionId: 't',
            Status: 'AcceptedSettlementCompleted',
            StatusUpdateDateTime: '2024-05-29T00:00:00+00:00',
          },
        ],
      },
    });
    const read = await details.client.getPaymentDetails(clientContext(), 'dp-1');
    expect(read.body).toMatchObject({ Data: { PaymentStatus: [{ Status: 'ACSC' }] } });
  });
});
