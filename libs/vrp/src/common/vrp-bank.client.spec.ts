import type { BankHttpClient, BankRequest } from '@obc/bank-http';
import { BankProfileRegistry, buildBankProfile } from '@obc/bank-profiles';
import { BankCallError } from '@obc/common';
import type { DetachedJwsService } from '@obc/fapi';
import type { TokenService } from '@obc/token-management';
import { strictMock } from '@obc/test-support/strict-mock';
import { clientContext, vrpRequest } from '../testing/fixtures';
import { VrpBankClient } from './vrp-bank.client';

const BASE = 'https://bank.example/open-banking/v4.0/vrp/';

function setup(
  response: { data: unknown } = { data: { Data: { DomesticVRPId: 'v-1', Status: 'ACSC' } } },
  repairDateTimes = false,
) {
  const profile = buildBankProfile({
    apis: { variableRecurringPayments: { version: 'v4.0', baseUrl: BASE } },
  });
  profile.quirks.responses.repairDateTimes = repairDateTimes;
  const http = strictMock<BankHttpClient>({
    request: jest.fn(async () => ({
      status: 201,
      headers: {},
      data: response.data,
      rawBody: JSON.stringify(response.data),
      interactionId: 'ia-1',
    })),
  });
  const tokens = strictMock<TokenService>({
    getClientCredentialsToken: jest.fn(async () => 'cc-token'),
  });
  const jws = strictMock<DetachedJwsService>({
    sign: jest.fn(
      async ({ payload }: { payload: string | Buffer }) => `sig-over:${String(payload)}`,
    ),
    verifyBankResponse: jest.fn(async () => undefined),
  });
  const profiles = strictMock<BankProfileRegistry>({ get: jest.fn(() => profile) });
  const client = new VrpBankClient(http, tokens, jws, profiles);
  const sent = (): BankRequest => http.request.mock.calls[0][0] as BankRequest;
  return { client, http, tokens, jws, sent, profile };
}

const identity = { organisationId: 'org-1', softwareStatementId: 'sw-1' };

describe('VrpBankClient', () => {
  it('checks the signature of every response with a body against the profile', async () => {
    const t = setup();
    const context = { ...clientContext(), bankJwksUri: 'https://auth.bank.example/jwks' };
    await t.client.createVrp(context, {
      identity,
      auth: { kind: 'consent', accessToken: 'psu-token' },
      body: vrpRequest(),
      idempotencyKey: 'bank-key-1',
    });
    expect(t.jws.verifyBankResponse).toHaveBeenCalledWith({
      profile: t.profile,
      discoveredJwksUri: 'https://auth.bank.example/jwks',
      trustedCaPem: undefined,
      endpoint: 'vrp.payment.create',
      method: 'POST',
      response: expect.objectContaining({
        rawBody: JSON.stringify({ Data: { DomesticVRPId: 'v-1', Status: 'ACSC' } }),
      }),
    });
    const refusal = new BankCallError('bank/response-signature-invalid', 'bank-failure', 'bad', {
      status: 200,
      endpoint: 'vrp.payment.get',
      method: 'GET',
      interactionId: 'ia-1',
      body: null,
    });
    t.jws.verifyBankResponse.mockRejectedValueOnce(refusal);
    await expect(t.client.getVrp(context, 'v-1')).rejects.toBe(refusal);
    t.jws.verifyBankResponse.mockClear();
    await t.client.deleteConsent(context, 'c-1');
    expect(t.jws.verifyBankResponse).not.toHaveBeenCalled();
  });

  it('signs exactly the bytes it sends and sends the bank idempotency key', async () => {
    const t = setup();
    const body = vrpRequest();
    const created = await t.client.createVrp(clientContext(), {
      identity,
      auth: { kind: 'consent', accessToken: 'psu-token' },
      body,
      idempotencyKey: 'bank-key-1',
    });

    const request = t.sent();
    expect(typeof request.body).toBe('string');
    expect(JSON.parse(request.body as string)).toEqual(body);
    expect(t.jws.sign).toHaveBeenCalledWith({
      payload: request.body,
      signingKey: clientContext().signingKey,
      organisationId: 'org-1',
      softwareStatementId: 'sw-1',
    });
    expect(request.headers).toMatchObject({
      'x-jws-signature': `sig-over:${request.body as string}`,
      'x-idempotency-key': 'bank-key-1',
      'content-type': 'application/json',
      authorization: 'Bearer psu-token',
    });
    expect(request.url).toBe('https://bank.example/open-banking/v4.0/vrp/domestic-vrps');
    expect(request.method).toBe('POST');
    expect(t.tokens.getClientCredentialsToken).not.toHaveBeenCalled();
    expect(created).toMatchObject({ id: 'v-1', status: 'ACSC', interactionId: 'ia-1' });
  });

  it('creates consents with a client-credentials token of the payments scope', async () => {
    const t = setup({ data: { Data: { ConsentId: 'c-1', Status: 'AWAU' } } });
    await t.client.createConsent(clientContext(), {
      identity,
      auth: { kind: 'client-credentials' },
      body: { Data: {}, Risk: {} },
      idempotencyKey: 'k',
    });
    expect(t.tokens.getClientCredentialsToken).toHaveBeenCalledWith(clientContext(), 'payments');
    expect(t.sent().headers?.authorization).toBe('Bearer cc-token');
    expect(t.sent().url).toBe(`${BASE}domestic-vrp-consents`);
  });

  it('refuses a response without the resource id as bank/invalid-response', async () => {
    const t = setup({ data: { Data: {} } });
    await expect(t.client.getVrp(clientContext(), 'v-1')).rejects.toMatchObject({
      code: 'bank/invalid-response',
    });
    await expect(t.client.getVrp(clientContext(), 'v-1')).rejects.toBeInstanceOf(BankCallError);
  });

  it("repairs the bank's date-times only when the profile says so (quirks.responses.repairDateTimes)", async () => {
    const data = {
      Data: { DomesticVRPId: 'v-1', Status: 'ACSC', CreationDateTime: '2026-12-06T10:00:00.123' },
    };
    const plain = await setup({ data }).client.getVrp(clientContext(), 'v-1');
    expect((plain.body.Data as Record<string, unknown>).CreationDateTime).toBe(
      '2026-12-06T10:00:00.123',
    );
    const repaired = await setup({ data }, true).client.getVrp(clientContext(), 'v-1');
    expect((repaired.body.Data as Record<string, unknown>).CreationDateTime).toBe(
      '2026-12-06T10:00:00+00:00',
    );
  });

  it('sends a VRP without Data.VRPType, signed as sent, only when the profile says so (quirks.requests.omitVrpType)', async () => {
    const body = vrpRequest();
    const write = {
      identity,
      auth: { kind: 'consent' as const, accessToken: 'psu-token' },
      body,
      idempotencyKey: 'k',
    };
    const standard = setup();
    await standard.client.createVrp(clientContext(), write);
    expect(JSON.parse(standard.sent().body as string).Data.VRPType).toBe(
      'UK.OBIE.VRPType.Sweeping',
    );

    const quirky = setup();
    quirky.profile.quirks.requests.omitVrpType = true;
    await quirky.client.createVrp(clientContext(), write);
    const sent = quirky.sent().body as string;
    const { VRPType: _type, ...rest } = body.Data as Record<string, unknown>;
    expect(JSON.parse(sent)).toEqual({ ...body, Data: rest });
    expect(quirky.jws.sign).toHaveBeenCalledWith(expect.objectContaining({ payload: sent }));
    // The caller's request is left as it was (it is what the connector stores).
    expect((body.Data as Record<string, unknown>).VRPType).toBe('UK.OBIE.VRPType.Sweeping');
    // Consents keep ControlParameters.VRPType.
    const consent = setup({ data: { Data: { ConsentId: 'c-1', Status: 'AWAU' } } });
    consent.profile.quirks.requests.omitVrpType = true;
    const consentBody = { Data: { ControlParameters: { VRPType: ['UK.OBIE.VRPType.Sweeping'] } } };
    await consent.client.createConsent(clientContext(), {
      ...write,
      auth: { kind: 'client-credentials' },
      body: consentBody,
    });
    expect(JSON.parse(consent.sent().body as string)).toEqual(consentBody);
  });

  it("sends the VRP API's own financial id when the profile names one (apis.variableRecurringPayments.financialId)", async () => {
    const standard = setup();
    await standard.client.getVrp(clientContext(), 'v-1');
    expect(standard.sent().financialId).toBe(clientContext().financialId);
    const other = setup();
    other.profile.apis.variableRecurringPayments!.financialId = '0015800000LLOYDS';
    await other.client.getVrp(clientContext(), 'v-1');
    await other.client.deleteConsent(clientContext(), 'c-1');
    expect(other.http.request.mock.calls.map(([r]) => (r as BankRequest).financialId)).toEqual([
      '0015800000LLOYDS',
      '0015800000LLOYDS',
    ]);
  });

  it('asks for the b64 JOSE header only when the profile says so (messageSigning.b64Header)', async () => {
    const t = setup();
    t.profile.messageSigning.b64Header = true;
    await t.client.createVrp(clientContext(), {
      identity,
      auth: { kind: 'consent', accessToken: 'psu-token' },
      body: vrpRequest(),
      idempotencyKey: 'k',
    });
    expect(t.jws.sign).toHaveBeenCalledWith(expect.objectContaining({ b64Header: true }));
  });

  it('un-nests a refund account the bank nests under Account (quirks.responses.unnestVrpRefundAccount)', async () => {
    const account = {
      SchemeName: 'UK.OBIE.SortCodeAccountNumber',
      Identification: '20001553827790',
      Name: 'J Smith',
    };
    const data = { Data: { DomesticVRPId: 'v-1', Status: 'ACSC', Refund: { Account: account } } };
    const plain = await setup({ data }).client.getVrp(clientContext(), 'v-1');
    expect((plain.body.Data as Record<string, unknown>).Refund).toEqual({ Account: account });
    const t = setup({ data });
    t.profile.quirks.responses.unnestVrpRefundAccount = true;
    const repaired = await t.client.getVrp(clientContext(), 'v-1');
    expect((repaired.body.Data as Record<string, unknown>).Refund).toEqual(account);
    // A refund already in the standard shape is left as it is.
    const standardShape = setup({ data: { Data: { ...data.Data, Refund: account } } });
    standardShape.profile.quirks.responses.unnestVrpRefundAccount = true;
    const kept = await standardShape.client.getVrp(clientContext(), 'v-1');
    expect((kept.body.Data as Record<string, unknown>).Refund).toEqual(account);
  });

  it("drops a date-time that is no date at all only when the profile says so (quirks.responses.invalidDateTimes 'drop')", async () => {
    const data = {
      Data: {
        DomesticVRPId: 'v-1',
        Status: 'ACSC',
        CreationDateTime: '2026-12-06T10:00:00+00:00',
        ExpectedSettlementDateTime: 'not a date',
      },
    };
    const kept = await setup({ data }).client.getVrp(clientContext(), 'v-1');
    expect(kept.body.Data).toHaveProperty('ExpectedSettlementDateTime', 'not a date');
    const t = setup({ data });
    t.profile.quirks.responses.invalidDateTimes = 'drop';
    const dropped = await t.client.getVrp(clientContext(), 'v-1');
    expect(dropped.body.Data).not.toHaveProperty('ExpectedSettlementDateTime');
    expect(dropped.body.Data).toHaveProperty('CreationDateTime', '2026-12-06T10:00:00+00:00');
  });
});
