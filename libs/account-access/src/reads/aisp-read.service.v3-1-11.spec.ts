import type { BankHttpClient } from '@obc/bank-http';
import { BankProfileRegistry, buildBankProfile } from '@obc/bank-profiles';
import type { ClientContextFactory } from '@obc/bank-registration';
import type { ConnectorConfig } from '@obc/config';
import type { TokenService } from '@obc/token-management';
import { strictMock } from '@obc/test-support/strict-mock';
import type { ConsentTokens } from '../account-access.ports';
import { AccountAccessConsentBankClient } from '../consents/account-access-consent-bank.client';
import type { AccountAccessConsentRepository } from '../consents/account-access-consent.repository';
import { clientContext, CONSENT_ID, consentRow } from '../testing/fixtures';
import { AispReadService } from './aisp-read.service';

const BASE = 'https://rs.test-bank.example/open-banking/v3.1/aisp';
const profile = buildBankProfile({
  apis: { accountAndTransaction: { version: 'v3.1.11', baseUrl: BASE } },
});

function ok(data: unknown) {
  return { status: 200, headers: {}, data, rawBody: JSON.stringify(data), interactionId: 'ia' };
}

describe('account access on a v3.1.11 bank', () => {
  it('reads balances and rewrites the v3.1 Links, in v4.0 codes', async () => {
    const http = strictMock<BankHttpClient>({
      request: jest.fn(async () =>
        ok({
          Data: {
            Balance: [
              {
                AccountId: 'acc-1',
                Type: 'InterimAvailable',
                CreditDebitIndicator: 'Credit',
                DateTime: '2024-05-29T00:00:00+00:00',
                Amount: { Amount: '10.00', Currency: 'GBP' },
              },
            ],
          },
          Links: { Self: `${BASE}/accounts/acc-1/balances` },
        }),
      ),
    });
    const service = new AispReadService(
      strictMock<AccountAccessConsentRepository>({
        findForRead: jest.fn(async () => consentRow({ status: 'AUTH' })),
      }),
      strictMock<ClientContextFactory>({ forRegistration: jest.fn(async () => clientContext()) }),
      strictMock<BankProfileRegistry>({ get: jest.fn(() => profile) }),
      strictMock<ConsentTokens>({ getAccessToken: jest.fn(async () => 'at') }),
      http,
      { server: { publicBaseUrl: 'https://obc.example.test' } } as ConnectorConfig,
    );
    const result = await service.read({
      endpoint: 'accountBalances',
      params: { accountId: 'acc-1' },
      query: {},
      consentId: CONSENT_ID,
    });
    expect(http.request).toHaveBeenCalledWith(
      expect.objectContaining({ url: `${BASE}/accounts/acc-1/balances` }),
    );
    expect(result.body).toEqual({
      Data: {
        Balance: [
          expect.objectContaining({ Type: 'ITAV', Amount: { Amount: '10.00', Currency: 'GBP' } }),
        ],
      },
      Links: { Self: 'https://obc.example.test/v1/aisp/accounts/acc-1/balances' },
    });
  });

  it('creates the consent in v3.1.11 and reads its status word as a code', async () => {
    const http = strictMock<BankHttpClient>({
      request: jest.fn(async () =>
        ok({ Data: { ConsentId: 'aac-1', Status: 'AwaitingAuthorisation' }, Risk: {} }),
      ),
    });
    const client = new AccountAccessConsentBankClient(
      http,
      strictMock<TokenService>({ getClientCredentialsToken: jest.fn(async () => 'cc') }),
      strictMock<BankProfileRegistry>({ get: jest.fn(() => profile) }),
    );
    const consent = await client.create(clientContext(), {
      Data: { Permissions: ['ReadAccountsBasic'] },
      Risk: {},
    } as never);
    expect(http.request).toHaveBeenCalledWith(
      expect.objectContaining({ url: `${BASE}/account-access-consents` }),
    );
    expect(consent.status).toBe('AWAU');
    expect(consent.body).toMatchObject({ Data: { Status: 'AWAU' } });
  });

  it("creates the consent under the AIS API's own financial id when the profile names one (apis.accountAndTransaction.financialId)", async () => {
    const named = structuredClone(profile);
    named.apis.accountAndTransaction!.financialId = '0015800000BRAND';
    for (const [p, expected] of [
      [profile, clientContext().financialId],
      [named, '0015800000BRAND'],
    ] as const) {
      const http = strictMock<BankHttpClient>({
        request: jest.fn(async () =>
          ok({ Data: { ConsentId: 'aac-1', Status: 'AwaitingAuthorisation' }, Risk: {} }),
        ),
      });
      const client = new AccountAccessConsentBankClient(
        http,
        strictMock<TokenService>({ getClientCredentialsToken: jest.fn(async () => 'cc') }),
        strictMock<BankProfileRegistry>({ get: jest.fn(() => p) }),
      );
      await client.create(clientContext(), {
        Data: { Permissions: ['ReadAccountsBasic'] },
        Risk: {},
      } as never);
      expect(http.request).toHaveBeenCalledWith(expect.objectContaining({ financialId: expected }));
    }
  });
});
