import type { ClientContextFactory } from '@obc/bank-registration';
import { BankCallError, DomainError, RandomSource } from '@obc/common';
import type { ConsentTokenService } from '@obc/token-management';
import { strictMock } from '@obc/test-support/strict-mock';
import type { VrpBankClient } from '../common/vrp-bank.client';
import type { DomesticVrpRepository } from '../common/vrp.repositories';
import type { DomesticVrpConsentService } from '../consents/domestic-vrp-consent.service';
import {
  clientContext,
  CONSENT_ID,
  registrationDetails,
  VRP_ID,
  vrpConsentRow,
  vrpRequest,
} from '../testing/fixtures';
import { idempotencyRunningWork } from '../testing/idempotency.mock';
import { DomesticVrpEntity } from './domestic-vrp.entity';
import { DomesticVrpService } from './domestic-vrp.service';

const LIMIT_REFUSAL = {
  Code: '400',
  Id: 'e-1',
  Message: 'refused',
  Errors: [
    {
      ErrorCode: 'U020',
      Message: 'the payment would exceed the Month (Calendar) periodic limit',
      Path: 'Data.Instruction.InstructedAmount.Amount',
    },
  ],
};

function setup(consentStatus = 'AUTH') {
  const repo = strictMock<DomesticVrpRepository>({
    save: jest.fn(async (r: DomesticVrpEntity) => r),
    storeMade: jest.fn(async (r: DomesticVrpEntity) => r),
    findActive: jest.fn(),
  });
  const consent = vrpConsentRow({ status: consentStatus });
  const consents = strictMock<DomesticVrpConsentService>({
    findAuthorised: jest.fn(async () => {
      if (consent.status !== 'AUTH')
        throw new DomainError(
          'consent/not-authorised',
          'forbidden',
          'The consent is not authorised',
        );
      return consent;
    }),
    find: jest.fn(async () => consent),
  });
  const bank = strictMock<VrpBankClient>({
    createVrp: jest.fn(async () => ({
      id: 'bank-vrp-1',
      status: 'ACSC',
      body: { Data: { DomesticVRPId: 'bank-vrp-1', Status: 'ACSC' } },
      interactionId: 'ia-1',
    })),
    getVrp: jest.fn(),
    getVrpDetails: jest.fn(),
  });
  const clients = strictMock<ClientContextFactory>({
    details: jest.fn(async () => registrationDetails()),
    forRegistration: jest.fn(async () => clientContext()),
  });
  const idempotency = idempotencyRunningWork('bank-key-7');
  const tokens = strictMock<ConsentTokenService>({
    getAccessToken: jest.fn(async () => 'psu-token'),
    invalidate: jest.fn(async () => undefined),
  });
  let n = 0;
  const random = strictMock<RandomSource>({
    uuid: jest.fn(() => `44444444-4444-4444-8444-44444444444${n++}`),
  });
  const service = new DomesticVrpService(
    repo,
    consents,
    bank,
    clients,
    idempotency,
    tokens,
    random,
  );
  return { service, repo, bank, idempotency, tokens, consents };
}

const create = (externalApiRequest = vrpRequest()) => ({
  domesticVrpConsentId: CONSENT_ID,
  externalApiRequest,
  reference: null,
});

async function errorOf(promise: Promise<unknown>): Promise<DomainError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('DomesticVrpService.create', () => {
  it("pays with the consent's token, the bank's ConsentId and the derived bank idempotency key", async () => {
    const t = setup();
    const outcome = await t.service.create(create(), { callerId: 'key-1', idempotencyKey: 'k-9' });

    expect(t.idempotency.run).toHaveBeenCalledWith(
      { scope: 'domestic-vrp', callerId: 'key-1', key: 'k-9', request: create() },
      expect.any(Function),
    );
    expect(t.tokens.getAccessToken).toHaveBeenCalledWith(
      { consentType: 'domestic-vrp', consentId: CONSENT_ID },
      clientContext(),
    );
    const write = t.bank.createVrp.mock.calls[0][1];
    expect(write.auth).toEqual({ kind: 'consent', accessToken: 'psu-token' });
    expect(write.idempotencyKey).toBe('bank-key-7');
    expect(write.identity).toEqual({ organisationId: 'org-1', softwareStatementId: 'sw-1' });
    expect((write.body.Data as Record<string, unknown>).ConsentId).toBe('bank-vrp-consent-1');
    expect(outcome).toEqual({
      idempotencyKey: 'k-9',
      replayed: false,
      body: {
        id: `${VRP_ID.slice(0, -1)}0`,
        domesticVrpConsentId: CONSENT_ID,
        externalApiId: 'bank-vrp-1',
        status: 'ACSC',
        externalApiResponse: { Data: { DomesticVRPId: 'bank-vrp-1', Status: 'ACSC' } },
      },
    });
  });

  it('makes many payments under one consent', async () => {
    const t = setup();
    const first = await t.service.create(create(), { callerId: 'key-1', idempotencyKey: 'a' });
    const second = await t.service.create(create(vrpRequest('30.00')), {
      callerId: 'key-1',
      idempotencyKey: 'b',
    });
    expect(t.bank.createVrp).toHaveBeenCalledTimes(2);
    expect(first.body.id).not.toBe(second.body.id);
  });

  it('stores the payment through storeMade, so a bank replay maps to the row stored for it', async () => {
    const t = setup();
    const earlier = Object.assign(new DomesticVrpEntity(), {
      id: '55555555-5555-4555-8555-555555555555',
      created: new Date('2026-02-01T10:00:00Z'),
      createdBy: null,
      reference: null,
      domesticVrpConsentId: CONSENT_ID,
      externalApiId: 'bank-vrp-1',
      status: 'PDNG',
      externalApiResponse: {},
    });
    t.repo.storeMade.mockResolvedValueOnce(earlier);
    const outcome = await t.service.create(create(), { callerId: 'key-1', idempotencyKey: 'a' });
    expect(t.repo.storeMade).toHaveBeenCalledWith(
      expect.objectContaining({ domesticVrpConsentId: CONSENT_ID, externalApiId: 'bank-vrp-1' }),
    );
    expect(outcome.body.id).toBe(earlier.id);
    expect(outcome.body.externalApiId).toBe('bank-vrp-1');
  });

  it('a token the bank refuses (401) is refreshed and the same payment retried with the same bank key', async () => {
    const t = setup();
    t.bank.createVrp.mockRejectedValueOnce(
      new BankCallError('bank/unauthorised', 'bank-failure', 'refused', {
        status: 401,
        endpoint: 'vrp.payment.create',
        method: 'POST',
        interactionId: 'ia-401',
        body: null,
      }),
    );
    const outcome = await t.service.create(create(), { callerId: 'key-1' });
    expect(t.tokens.invalidate).toHaveBeenCalledWith(
      { consentType: 'domestic-vrp', consentId: CONSENT_ID },
      'psu-token',
    );
    expect(t.bank.createVrp).toHaveBeenCalledTimes(2);
    expect(t.bank.createVrp.mock.calls[1][1]).toEqual(t.bank.createVrp.mock.calls[0][1]);
    expect(outcome.body.externalApiId).toBe('bank-vrp-1');
  });

  it('refuses a consent that is not authorised without calling the bank', async () => {
    const t = setup('AWAU');
    expect((await errorOf(t.service.create(create(), { callerId: 'key-1' }))).code).toBe(
      'consent/not-authorised',
    );
    expect(t.bank.createVrp).not.toHaveBeenCalled();
    expect(t.tokens.getAccessToken).not.toHaveBeenCalled();
    expect(t.idempotency.run).not.toHaveBeenCalled();
  });

  it.each([
    ['0', 'GBP', 'payment/invalid-amount'],
    ['-5.00', 'GBP', 'payment/invalid-amount'],
    ['5.00', 'ZZZ', 'payment/unknown-currency'],
  ])('refuses amount %s %s with %s before any bank call', async (amount, currency, code) => {
    const t = setup();
    expect(
      (await errorOf(t.service.create(create(vrpRequest(amount, currency)), { callerId: 'k' })))
        .code,
    ).toBe(code);
    expect(t.consents.findAuthorised).not.toHaveBeenCalled();
    expect(t.bank.createVrp).not.toHaveBeenCalled();
  });

  it("propagates the bank's limit refusal with its OB error in bank.body, storing no payment", async () => {
    const t = setup();
    const refusal = new BankCallError(
      'bank/request-rejected',
      'unprocessable',
      'The bank rejected the request',
      {
        status: 400,
        endpoint: 'vrp.payment.create',
        method: 'POST',
        interactionId: 'ia-x',
        body: LIMIT_REFUSAL,
      },
    );
    t.bank.createVrp.mockRejectedValueOnce(refusal);
    const error = await errorOf(
      t.service.create(create(vrpRequest('999.00')), { callerId: 'key-1' }),
    );
    expect(error).toBe(refusal);
    expect(error.code).toBe('bank/request-rejected');
    expect(error.bank?.body).toEqual(LIMIT_REFUSAL);
    expect(t.repo.storeMade).not.toHaveBeenCalled();
  });
});
