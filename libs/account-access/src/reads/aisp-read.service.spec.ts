import type { BankHttpClient } from '@obc/bank-http';
import { BankProfileRegistry, buildBankProfile } from '@obc/bank-profiles';
import type { ClientContextFactory } from '@obc/bank-registration';
import { BankCallError, NotFoundError } from '@obc/common';
import type { ConnectorConfig } from '@obc/config';
import type { ConsentTokens } from '../account-access.ports';
import type { AccountAccessConsentRepository } from '../consents/account-access-consent.repository';
import { clientContext, CONSENT_ID, consentRow } from '../testing/fixtures';
import { strictMock } from '@obc/test-support/strict-mock';
import { AispReadService } from './aisp-read.service';

const BASE = 'https://rs.test-bank.example/open-banking/v4.0/aisp';
const REF = { consentType: 'account-access', consentId: CONSENT_ID };

function bankError(status: number, body: unknown = null): BankCallError {
  return new BankCallError('bank/request-rejected', 'unprocessable', 'rejected', {
    status,
    endpoint: 'aisp.accounts',
    method: 'GET',
    interactionId: `ia-${status}`,
    body,
  });
}

function ok(data: unknown, interactionId = 'ia-ok') {
  return { status: 200, headers: {}, data, rawBody: JSON.stringify(data), interactionId };
}

function setup(options: { profile?: ReturnType<typeof buildBankProfile> } = {}) {
  const repo = strictMock<AccountAccessConsentRepository>({
    findForRead: jest.fn(async () => consentRow({ status: 'AUTH' })),
  });
  const clients = strictMock<ClientContextFactory>({
    forRegistration: jest.fn(async () => clientContext()),
  });
  const profiles = strictMock<BankProfileRegistry>({
    get: jest.fn(() => options.profile ?? buildBankProfile()),
  });
  const tokens = strictMock<ConsentTokens>({
    getAccessToken: jest.fn().mockResolvedValueOnce('token-1').mockResolvedValueOnce('token-2'),
    invalidate: jest.fn(async () => undefined),
  });
  const http = strictMock<BankHttpClient>({ request: jest.fn() });
  const config = { server: { publicBaseUrl: 'https://obc.example.test' } } as ConnectorConfig;
  const service = new AispReadService(repo, clients, profiles, tokens, http, config);
  return { service, repo, tokens, http };
}

const read = (consentId: string | undefined, query: Record<string, unknown> = {}) => ({
  endpoint: 'accountTransactions' as const,
  params: { accountId: 'acc-1' },
  query,
  consentId,
});

describe('AispReadService', () => {
  it('reads with the consent token, passes the query and rewrites Links', async () => {
    const { service, http, tokens } = setup();
    http.request.mockResolvedValue(
      ok({ Data: {}, Links: { Self: `${BASE}/accounts/acc-1/transactions?page=2` } }, 'ia-9'),
    );
    const result = await service.read(read(CONSENT_ID, { page: '2' }));

    expect(tokens.getAccessToken).toHaveBeenCalledWith(REF, clientContext());
    expect(http.request).toHaveBeenCalledWith(
      expect.objectContaining({
        method: 'GET',
        url: `${BASE}/accounts/acc-1/transactions?page=2`,
        headers: expect.objectContaining({ authorization: 'Bearer token-1' }),
        transport: clientContext().transport,
        financialId: clientContext().financialId,
      }),
    );
    expect(result).toEqual({
      body: {
        Data: {},
        Links: { Self: 'https://obc.example.test/v1/aisp/accounts/acc-1/transactions?page=2' },
      },
      interactionId: 'ia-9',
    });
  });

  it('repairs *DateTime members only when the profile says so (quirks.responses.repairDateTimes)', async () => {
    const data = { Data: { Transaction: [{ BookingDateTime: '2026-12-05T09:00:00.250' }] } };
    const plain = setup();
    plain.http.request.mockResolvedValue(ok(data));
    expect((await plain.service.read(read(CONSENT_ID))).body).toEqual(data);

    const profile = buildBankProfile();
    profile.quirks.responses.repairDateTimes = true;
    const repairing = setup({ profile });
    repairing.http.request.mockResolvedValue(ok(data));
    expect((await repairing.service.read(read(CONSENT_ID))).body).toEqual({
      Data: { Transaction: [{ BookingDateTime: '2026-12-05T09:00:00+00:00' }] },
    });
  });

  it("drops a direct debit's date-time that is no date only when the profile says so (quirks.responses.invalidDateTimes 'drop')", async () => {
    const data = {
      Data: {
        DirectDebit: [{ DirectDebitId: 'dd-1', PreviousPaymentDateTime: '0000-00-00T00:00:00' }],
      },
    };
    const plain = setup();
    plain.http.request.mockResolvedValue(ok(data));
    expect((await plain.service.read(read(CONSENT_ID))).body).toEqual(data);

    const profile = buildBankProfile();
    profile.quirks.responses.invalidDateTimes = 'drop';
    const dropping = setup({ profile });
    dropping.http.request.mockResolvedValue(ok(data));
    expect((await dropping.service.read(read(CONSENT_ID))).body).toEqual({
      Data: { DirectDebit: [{ DirectDebitId: 'dd-1' }] },
    });
  });

  it("sends the AIS API's own financial id when the profile names one (apis.accountAndTransaction.financialId)", async () => {
    const profile = buildBankProfile();
    profile.apis.accountAndTransaction!.financialId = '0015800000BRAND';
    const t = setup({ profile });
    t.http.request.mockResolvedValue(ok({ Data: {} }));
    await t.service.read(read(CONSENT_ID));
    expect(t.http.request).toHaveBeenCalledWith(
      expect.objectContaining({ financialId: '0015800000BRAND' }),
    );
  });

  it.each([undefined, '', '  '])(
    'header %j missing: 400 account-access-consent/header-missing',
    async (id) => {
      const { service } = setup();
      await expect(service.read(read(id))).rejects.toMatchObject({
        code: 'account-access-consent/header-missing',
        kind: 'validation',
      });
    },
  );

  it('unknown consent: 404 account-access-consent/not-found', async () => {
    const { service, repo } = setup();
    repo.findForRead.mockResolvedValue(null);
    const error = await service.read(read(CONSENT_ID)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 'account-access-consent/not-found' });
  });

  it('consent not authorised: consent/not-authorised, no bank call', async () => {
    const { service, repo, http } = setup();
    repo.findForRead.mockResolvedValue(consentRow({ status: 'AWAU' }));
    await expect(service.read(read(CONSENT_ID))).rejects.toMatchObject({
      code: 'consent/not-authorised',
      kind: 'forbidden',
    });
    expect(http.request).not.toHaveBeenCalled();
  });

  it('bank 401: invalidates, refreshes and retries once', async () => {
    const { service, http, tokens } = setup();
    http.request.mockRejectedValueOnce(bankError(401)).mockResolvedValueOnce(ok({ Data: {} }));
    await expect(service.read(read(CONSENT_ID))).resolves.toEqual({
      body: { Data: {} },
      interactionId: 'ia-ok',
    });
    expect(tokens.invalidate).toHaveBeenCalledWith(REF, 'token-1'); // only the refused token
    expect(tokens.getAccessToken).toHaveBeenCalledTimes(2);
    expect(http.request.mock.calls[1][0].headers).toMatchObject({
      authorization: 'Bearer token-2',
    });
  });

  it('bank 401 twice: consent/not-authorised with the bank details, no third call', async () => {
    const { service, http } = setup();
    http.request.mockRejectedValue(bankError(401, { Errors: [] }));
    await expect(service.read(read(CONSENT_ID))).rejects.toMatchObject({
      code: 'consent/not-authorised',
      bank: { status: 401, interactionId: 'ia-401' },
    });
    expect(http.request).toHaveBeenCalledTimes(2);
  });

  it('bank 403 naming the consent: consent/not-authorised; other 403: the bank error', async () => {
    const { service, http } = setup();
    http.request.mockRejectedValueOnce(
      bankError(403, { Errors: [{ ErrorCode: 'UK.OBIE.Resource.ConsentMismatch' }] }),
    );
    await expect(service.read(read(CONSENT_ID))).rejects.toMatchObject({
      code: 'consent/not-authorised',
    });

    http.request.mockRejectedValueOnce(
      bankError(403, { Errors: [{ ErrorCode: 'UK.OBIE.Field.Invalid' }] }),
    );
    await expect(service.read(read(CONSENT_ID))).rejects.toMatchObject({
      code: 'bank/request-rejected',
    });
  });

  it('profile without the AIS API: 501 bank/unsupported-endpoint, no bank call', async () => {
    const { service, http } = setup({ profile: buildBankProfile({ apis: {} }) });
    await expect(service.read(read(CONSENT_ID))).rejects.toMatchObject({
      code: 'bank/unsupported-endpoint',
      kind: 'not-implemented',
    });
    expect(http.request).not.toHaveBeenCalled();
  });

  it('refuses a bad query before anything else', async () => {
    const { service, repo } = setup();
    await expect(service.read(read(CONSENT_ID, { page: ['1', '2'] }))).rejects.toMatchObject({
      code: 'request/validation-failed',
    });
    expect(repo.findForRead).not.toHaveBeenCalled();
  });
});
