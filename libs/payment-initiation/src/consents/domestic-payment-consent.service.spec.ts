import type { ClientContextFactory } from '@obc/bank-registration';
import { BankProfileRegistry, buildBankProfile, STANDARD_QUIRKS } from '@obc/bank-profiles';
import { BankCallError, Clock, RandomSource, Sleeper } from '@obc/common';
import type { IdempotencyService } from '@obc/persistence';
import { strictMock } from '@obc/test-support/strict-mock';
import type { PispBankClient } from '../bank/pisp-bank.client';
import type { PaymentAuthContextsPort, PaymentConsentTokens } from '../payment-initiation.ports';
import { fakeIdempotency } from '../testing/fake-idempotency';
import {
  clientContext,
  CONSENT_ID,
  consentRequest,
  consentRow,
  registrationDetails,
  REGISTRATION_ID,
} from '../testing/fixtures';
import type { DomesticPaymentConsentEntity } from './domestic-payment-consent.entity';
import type { DomesticPaymentConsentRepository } from './domestic-payment-consent.repository';
import { DomesticPaymentConsentService } from './domestic-payment-consent.service';

const NOW = new Date('2026-02-01T10:00:00Z');

function setup() {
  const repo = strictMock<DomesticPaymentConsentRepository>({
    save: jest.fn(async (row: DomesticPaymentConsentEntity) =>
      Object.assign(row, { created: row.created ?? NOW }),
    ),
    findActive: jest.fn(),
  });
  const bank = strictMock<PispBankClient>({
    createConsent: jest.fn(async () => ({
      id: 'pdc-9',
      status: 'AWAU',
      body: { Data: { ConsentId: 'pdc-9', Status: 'AWAU' } },
      interactionId: 'ia-1',
    })),
    getConsent: jest.fn(),
    fundsConfirmation: jest.fn(async () => ({ body: { Data: {} }, interactionId: 'ia-f' })),
  });
  const clients = strictMock<ClientContextFactory>({
    details: jest.fn(async () => registrationDetails()),
    forRegistration: jest.fn(async () => clientContext()),
  });
  const idem = fakeIdempotency();
  const idempotency = strictMock<IdempotencyService>({ run: jest.fn(idem.run) });
  const tokens = strictMock<PaymentConsentTokens>({
    getAccessToken: jest.fn(async () => 'at-1'),
    invalidate: jest.fn(async () => undefined),
  });
  const authContexts = strictMock<PaymentAuthContextsPort>({ create: jest.fn() });
  const clock = strictMock<Clock>({ now: jest.fn(() => NOW) });
  const random = strictMock<RandomSource>({ uuid: jest.fn(() => CONSENT_ID) });
  const profile = buildBankProfile({
    quirks: { ...structuredClone(STANDARD_QUIRKS), postCreateConsentDelayMs: 250 },
  });
  const profiles = strictMock<BankProfileRegistry>({ get: jest.fn(() => profile) });
  const sleeper = strictMock<Sleeper>({ sleep: jest.fn(async () => undefined) });
  const service = new DomesticPaymentConsentService(
    repo,
    bank,
    clients,
    idempotency,
    tokens,
    authContexts,
    clock,
    random,
    profiles,
    sleeper,
  );
  return { service, repo, bank, idem, idempotency, tokens, authContexts, profiles, sleeper };
}

const create = (amount = '10.50', currency = 'GBP') => ({
  bankRegistrationId: REGISTRATION_ID,
  externalApiRequest: consentRequest(amount, currency),
  reference: 'ref',
  createdBy: 'key-1',
});

describe('DomesticPaymentConsentService.create', () => {
  it('creates the consent at the bank, signed as the registration, with the bank idempotency key', async () => {
    const { service, bank, repo } = setup();
    const outcome = await service.create(create(), 'key-1', 'idem-1');

    expect(bank.createConsent).toHaveBeenCalledWith(
      clientContext(),
      { organisationId: 'org-1', softwareStatementId: 'sw-1' },
      'bank-idem-1',
      { Data: consentRequest().Data, Risk: consentRequest().Risk },
    );
    expect(outcome).toMatchObject({ idempotencyKey: 'idem-1', interactionId: 'ia-1' });
    expect(outcome.view).toMatchObject({
      id: CONSENT_ID,
      externalApiId: 'pdc-9',
      status: 'AWAU',
      bankRegistrationId: REGISTRATION_ID,
      reference: 'ref',
      createdBy: 'key-1',
    });
    expect(repo.save.mock.calls[0][0].externalApiRequest).toEqual({
      Data: consentRequest().Data,
      Risk: consentRequest().Risk,
    });
  });

  it("waits the profile's postCreateConsentDelayMs after creating, not when replaying", async () => {
    const { service, bank, sleeper, profiles } = setup();
    await service.create(create(), 'key-1', 'idem-1');
    expect(profiles.get).toHaveBeenCalledWith('test-bank');
    expect(sleeper.sleep).toHaveBeenCalledWith(250);
    expect(sleeper.sleep.mock.invocationCallOrder[0]).toBeGreaterThan(
      bank.createConsent.mock.invocationCallOrder[0],
    );
    await service.create(create(), 'key-1', 'idem-1');
    expect(sleeper.sleep).toHaveBeenCalledTimes(1);
  });

  it('same key: the stored consent, the work is not run again, the key is returned', async () => {
    const { service, bank, idem } = setup();
    const first = await service.create(create(), 'key-1', 'idem-1');
    const second = await service.create(create(), 'key-1', 'idem-1');
    expect(bank.createConsent).toHaveBeenCalledTimes(1);
    expect(idem.runs).toBe(1);
    expect(second.view).toEqual(first.view);
    expect(second.idempotencyKey).toBe('idem-1');
  });

  it('no key: a generated key is used and returned', async () => {
    const { service, idempotency } = setup();
    const outcome = await service.create(create(), 'key-1', undefined);
    expect(idempotency.run.mock.calls[0][0]).not.toHaveProperty('key');
    expect(outcome.idempotencyKey).toBe('generated-1');
  });

  it.each([['-1.00'], ['0'], ['0.00'], ['abc'], ['1.123456'], ['1e3'], ['12345678901234']])(
    'refuses amount %s with payment/invalid-amount and no bank call',
    async (amount) => {
      const { service, bank, idempotency } = setup();
      await expect(service.create(create(amount), 'key-1', undefined)).rejects.toMatchObject({
        code: 'payment/invalid-amount',
        kind: 'validation',
      });
      expect(bank.createConsent).not.toHaveBeenCalled();
      expect(idempotency.run).not.toHaveBeenCalled();
    },
  );

  it.each([['XXX'], ['gbp'], ['GB'], ['ABC']])(
    'refuses currency %s with payment/unknown-currency and no bank call',
    async (currency) => {
      const { service, bank } = setup();
      await expect(
        service.create(create('1.00', currency), 'key-1', undefined),
      ).rejects.toMatchObject({ code: 'payment/unknown-currency', kind: 'validation' });
      expect(bank.createConsent).not.toHaveBeenCalled();
    },
  );

  it('accepts 13 digits and 5 decimals in another known currency', async () => {
    const { service, bank } = setup();
    await service.create(create('1234567890123.12345', 'EUR'), 'key-1', undefined);
    expect(bank.createConsent).toHaveBeenCalledTimes(1);
  });
});

describe('DomesticPaymentConsentService funds confirmation and auth contexts', () => {
  it('uses the consent access token of an authorised consent', async () => {
    const { service, repo, bank, tokens } = setup();
    repo.findActive.mockResolvedValue(consentRow());
    await expect(service.fundsConfirmation(CONSENT_ID)).resolves.toEqual({
      body: { Data: {} },
      interactionId: 'ia-f',
    });
    expect(tokens.getAccessToken).toHaveBeenCalledWith(
      { consentType: 'domestic-payment', consentId: CONSENT_ID },
      clientContext(),
    );
    expect(bank.fundsConfirmation).toHaveBeenCalledWith(clientContext(), 'pdc-1', 'at-1');
  });

  it('funds confirmation: a token the bank refuses (401) is retired and the call retried once', async () => {
    const { service, repo, bank, tokens } = setup();
    repo.findActive.mockResolvedValue(consentRow());
    bank.fundsConfirmation.mockRejectedValueOnce(
      new BankCallError('bank/request-rejected', 'unprocessable', 'rejected', {
        status: 401,
        endpoint: 'pisp.consent.funds-confirmation',
        method: 'GET',
        interactionId: 'ia-x',
        body: null,
      }),
    );
    tokens.getAccessToken.mockResolvedValueOnce('at-old').mockResolvedValueOnce('at-new');
    await expect(service.fundsConfirmation(CONSENT_ID)).resolves.toMatchObject({
      interactionId: 'ia-f',
    });
    expect(tokens.invalidate).toHaveBeenCalledWith(
      { consentType: 'domestic-payment', consentId: CONSENT_ID },
      'at-old',
    );
    expect(bank.fundsConfirmation).toHaveBeenLastCalledWith(clientContext(), 'pdc-1', 'at-new');
  });

  it('refuses a consent that is not AUTH with consent/not-authorised (403, as everywhere)', async () => {
    const { service, repo, bank } = setup();
    repo.findActive.mockResolvedValue(consentRow({ status: 'AWAU' }));
    await expect(service.fundsConfirmation(CONSENT_ID)).rejects.toMatchObject({
      code: 'consent/not-authorised',
      kind: 'forbidden',
    });
    expect(bank.fundsConfirmation).not.toHaveBeenCalled();
  });

  it('creates a domestic-payment auth context', async () => {
    const { service, repo, authContexts } = setup();
    repo.findActive.mockResolvedValue(consentRow({ status: 'AWAU' }));
    authContexts.create.mockResolvedValue({
      id: 'ctx',
      created: NOW,
      createdBy: null,
      reference: null,
      authUrl: 'https://bank/auth',
      state: 's',
      expiresAt: NOW,
    });
    await service.createAuthContext(CONSENT_ID, {
      redirectUri: null,
      appSessionId: null,
      reference: null,
      createdBy: 'key-1',
    });
    expect(authContexts.create).toHaveBeenCalledWith({
      consentType: 'domestic-payment',
      consentId: CONSENT_ID,
      createdBy: 'key-1',
      reference: null,
    });
  });
});
