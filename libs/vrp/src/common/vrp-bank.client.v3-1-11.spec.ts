import type { BankHttpClient, BankRequest } from '@obc/bank-http';
import { BankProfileRegistry, buildBankProfile } from '@obc/bank-profiles';
import type { DetachedJwsService } from '@obc/fapi';
import type { TokenService } from '@obc/token-management';
import { strictMock } from '@obc/test-support/strict-mock';
import { clientContext } from '../testing/fixtures';
import { VrpBankClient } from './vrp-bank.client';

const BASE = 'https://bank.example/open-banking/v3.1/vrp';

function setup(data: unknown) {
  const profile = buildBankProfile({
    apis: { variableRecurringPayments: { version: 'v3.1.11', baseUrl: BASE } },
  });
  const http = strictMock<BankHttpClient>({
    request: jest.fn(async () => ({
      status: 201,
      headers: {},
      data,
      rawBody: JSON.stringify(data),
      interactionId: 'ia-1',
    })),
  });
  const tokens = strictMock<TokenService>({
    getClientCredentialsToken: jest.fn(async () => 'cc-token'),
  });
  const jws = strictMock<DetachedJwsService>({
    sign: jest.fn(async ({ payload }: { payload: string | Buffer }) => `sig:${String(payload)}`),
    verifyBankResponse: jest.fn(async () => undefined),
  });
  const profiles = strictMock<BankProfileRegistry>({ get: jest.fn(() => profile) });
  const client = new VrpBankClient(http, tokens, jws, profiles);
  const sent = (): BankRequest => http.request.mock.calls[0][0] as BankRequest;
  return { client, http, tokens, sent, profile };
}

const identity = { organisationId: 'org', softwareStatementId: 'ss' };
const controlParameters = {
  PSUAuthenticationMethods: ['UK.OBIE.SCANotRequired'],
  VRPType: ['UK.OBIE.VRPType.Sweeping'],
  MaximumIndividualAmount: { Amount: '100.00', Currency: 'GBP' },
  PeriodicLimits: [
    { PeriodType: 'Month', PeriodAlignment: 'Calendar', Amount: '500.00', Currency: 'GBP' },
  ],
};

describe('VrpBankClient on a v3.1.11 bank', () => {
  it('sends the consent unchanged where the versions agree and reads the status as v4.0', async () => {
    const { client, sent } = setup({
      Data: {
        ConsentId: 'c-1',
        Status: 'AwaitingAuthorisation',
        ControlParameters: controlParameters,
      },
      Risk: {},
    });
    const body = {
      Data: {
        ControlParameters: controlParameters,
        Initiation: { CreditorPostalAddress: { AddressType: 'BIZZ', Country: 'GB' } },
      },
      Risk: {},
    };
    const created = await client.createConsent(clientContext(), {
      identity,
      auth: { kind: 'client-credentials' },
      body,
      idempotencyKey: 'k',
    });
    expect(sent().url).toBe(`${BASE}/domestic-vrp-consents`);
    expect(JSON.parse(String(sent().body))).toEqual({
      Data: {
        ControlParameters: controlParameters,
        Initiation: { CreditorPostalAddress: { AddressType: 'Business', Country: 'GB' } },
      },
      Risk: {},
    });
    expect(created.status).toBe('AWAU');
  });

  it('maps a VRP response (status and flat reason) to v4.0', async () => {
    const { client } = setup({
      Data: { DomesticVRPId: 'v-1', Status: 'Rejected', StatusReason: 'UK.OBIE.OtherReason' },
    });
    const vrp = await client.getVrp(clientContext(), 'v-1');
    expect(vrp.status).toBe('RJCT');
    expect(vrp.body).toEqual({
      Data: {
        DomesticVRPId: 'v-1',
        Status: 'RJCT',
        StatusReason: [{ StatusReasonDescription: 'UK.OBIE.OtherReason' }],
      },
    });
  });

  it('refuses a v4.0-only field before any bank call', async () => {
    const { client, http } = setup({});
    await expect(
      client.createVrp(clientContext(), {
        identity,
        auth: { kind: 'consent', accessToken: 'at' },
        body: {
          Data: { ConsentId: 'c-1', Instruction: { UltimateCreditor: { Name: 'x' } } },
          Risk: {},
        },
        idempotencyKey: 'k',
      }),
    ).rejects.toMatchObject({ code: 'bank-profile/unsupported-by-version' });
    expect(http.request).not.toHaveBeenCalled();
  });

  it('leaves Data.VRPType out of a v3.1.11 VRP when the profile says so (quirks.requests.omitVrpType)', async () => {
    const { client, sent, profile } = setup({ Data: { DomesticVRPId: 'v-1', Status: 'Pending' } });
    profile.quirks.requests.omitVrpType = true;
    await client.createVrp(clientContext(), {
      identity,
      auth: { kind: 'consent', accessToken: 'at' },
      body: {
        Data: {
          ConsentId: 'c-1',
          PSUAuthenticationMethod: 'UK.OBIE.SCANotRequired',
          VRPType: 'UK.OBIE.VRPType.Sweeping',
          Initiation: {},
          Instruction: { InstructedAmount: { Amount: '1.00', Currency: 'GBP' } },
        },
        Risk: {},
      },
      idempotencyKey: 'k',
    });
    const data = JSON.parse(String(sent().body)).Data as Record<string, unknown>;
    expect(data).not.toHaveProperty('VRPType');
    expect(data).toHaveProperty('PSUAuthenticationMethod', 'UK.OBIE.SCANotRequired');
  });
});
