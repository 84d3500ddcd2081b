import type { AuthContextService } from '@obc/auth-contexts';
import type { ClientContextFactory } from '@obc/bank-registration';
import { BankProfileRegistry, buildBankProfile, STANDARD_QUIRKS } from '@obc/bank-profiles';
import { Clock, DomainError, NotFoundError, RandomSource, Sleeper } from '@obc/common';
import type { ConsentTokenService } from '@obc/token-management';
import { strictMock } from '@obc/test-support/strict-mock';
import type { VrpBankClient } from '../common/vrp-bank.client';
import type { DomesticVrpConsentRepository } from '../common/vrp.repositories';
import {
  clientContext,
  CONSENT_ID,
  consentRequest,
  registrationDetails,
  REGISTRATION_ID,
  vrpConsentRow,
} from '../testing/fixtures';
import { idempotencyRunningWork } from '../testing/idempotency.mock';
import type { DomesticVrpConsentEntity } from './domestic-vrp-consent.entity';
import { DomesticVrpConsentService } from './domestic-vrp-consent.service';

const NOW = new Date('2026-02-01T10:00:00Z');

function setup(row: DomesticVrpConsentEntity | null = vrpConsentRow()) {
  const repo = strictMock<DomesticVrpConsentRepository>({
    save: jest.fn(async (r: DomesticVrpConsentEntity) =>
      Object.assign(r, { created: r.created ?? NOW }),
    ),
    findActive: jest.fn(async () => row),
    markDeleted: jest.fn(async () => undefined),
  });
  const bank = strictMock<VrpBankClient>({
    createConsent: jest.fn(async () => ({
      id: 'bank-vrp-consent-9',
      status: 'AWAU',
      body: { Data: { ConsentId: 'bank-vrp-consent-9', Status: 'AWAU' } },
      interactionId: 'ia-1',
    })),
    getConsent: jest.fn(async () => ({
      id: 'bank-vrp-consent-1',
      status: 'Authorised',
      body: { Data: { ConsentId: 'bank-vrp-consent-1', Status: 'Authorised' } },
      interactionId: 'ia-get',
    })),
    deleteConsent: jest.fn(async () => ({ interactionId: 'ia-del' })),
    fundsConfirmation: jest.fn(async () => ({
      id: 'fc-1',
      status: null,
      body: { Data: { FundsConfirmationId: 'fc-1' } },
      interactionId: 'ia-fc',
    })),
  });
  const clients = strictMock<ClientContextFactory>({
    details: jest.fn(async () => registrationDetails()),
    forRegistration: jest.fn(async () => clientContext()),
  });
  const idempotency = idempotencyRunningWork();
  const tokens = strictMock<ConsentTokenService>({
    revoke: jest.fn(async () => undefined),
    getAccessToken: jest.fn(async () => 'psu-token'),
  });
  const authContexts = strictMock<AuthContextService>({ create: jest.fn() });
  const clock = strictMock<Clock>({ now: jest.fn(() => NOW) });
  const random = strictMock<RandomSource>({ uuid: jest.fn(() => CONSENT_ID) });
  const profile = buildBankProfile({
    quirks: { ...structuredClone(STANDARD_QUIRKS), postCreateConsentDelayMs: 400 },
  });
  const profiles = strictMock<BankProfileRegistry>({ get: jest.fn(() => profile) });
  const sleeper = strictMock<Sleeper>({ sleep: jest.fn(async () => undefined) });
  const service = new DomesticVrpConsentService(
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
  return { service, repo, bank, clients, idempotency, tokens, authContexts, profiles, sleeper };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return (error as DomainError).code;
}

const create = (externalApiRequest = consentRequest()) => ({
  bankRegistrationId: REGISTRATION_ID,
  externalApiRequest,
  reference: 'ref-1',
  createdBy: 'key-1',
});

describe('DomesticVrpConsentService.create', () => {
  it("waits the profile's postCreateConsentDelayMs after creating, not when replaying", async () => {
    const t = setup();
    await t.service.create(create(), { callerId: 'key-1', idempotencyKey: 'k-1' });
    expect(t.sleeper.sleep).toHaveBeenCalledWith(400);
    expect(t.sleeper.sleep.mock.invocationCallOrder[0]).toBeGreaterThan(
      t.bank.createConsent.mock.invocationCallOrder[0],
    );
    t.idempotency.run.mockResolvedValueOnce({
      status: 201,
      body: {} as never,
      key: 'k-1',
      replayed: true,
    });
    await t.service.create(create(), { callerId: 'key-1', idempotencyKey: 'k-1' });
    expect(t.sleeper.sleep).toHaveBeenCalledTimes(1);
  });

  it('creates the consent at the bank through the idempotency service and stores it', async () => {
    const t = setup();
    const outcome = await t.service.create(create(), { callerId: 'key-1', idempotencyKey: 'k-1' });

    expect(t.idempotency.run).toHaveBeenCalledWith(
      { scope: 'domestic-vrp-consent', callerId: 'key-1', key: 'k-1', request: create() },
      expect.any(Function),
    );
    expect(t.bank.createConsent).toHaveBeenCalledWith(clientContext(), {
      identity: { organisationId: 'org-1', softwareStatementId: 'sw-1' },
      auth: { kind: 'client-credentials' },
      body: consentRequest(),
      idempotencyKey: 'derived-bank-key',
    });
    expect(outcome.idempotencyKey).toBe('k-1');
    expect(outcome.body).toMatchObject({
      id: CONSENT_ID,
      bankRegistrationId: REGISTRATION_ID,
      externalApiId: 'bank-vrp-consent-9',
      status: 'AWAU',
      reference: 'ref-1',
      createdBy: 'key-1',
    });
    expect(t.repo.save).toHaveBeenCalledTimes(1);
  });

  it('refuses a consent without control parameters before any bank call or idempotency record', async () => {
    const t = setup();
    expect(
      await codeOf(t.service.create(create(consentRequest(null)), { callerId: 'key-1' })),
    ).toBe('vrp/control-parameters-missing');
    expect(t.idempotency.run).not.toHaveBeenCalled();
    expect(t.bank.createConsent).not.toHaveBeenCalled();
  });

  it.each([
    [{ Amount: '0.00', Currency: 'GBP' }, 'payment/invalid-amount'],
    [{ Amount: '10.00', Currency: 'GPB' }, 'payment/unknown-currency'],
  ])('refuses MaximumIndividualAmount %j with %s and no bank call', async (max, code) => {
    const t = setup();
    const request = consentRequest({
      VRPType: ['UK.OBIE.VRPType.Sweeping'],
      MaximumIndividualAmount: max,
      PeriodicLimits: [],
    });
    expect(await codeOf(t.service.create(create(request), { callerId: 'key-1' }))).toBe(code);
    expect(t.bank.createConsent).not.toHaveBeenCalled();
  });
});

describe('DomesticVrpConsentService other operations', () => {
  it('get refreshes the status from the bank, translated to a v4.0 code', async () => {
    const t = setup(vrpConsentRow({ status: 'AWAU' }));
    const outcome = await t.service.get(CONSENT_ID, false);
    expect(outcome.row.status).toBe('AUTH');
    expect(outcome.interactionId).toBe('ia-get');
  });

  it('get with the exclude header does not call the bank', async () => {
    const t = setup();
    await t.service.get(CONSENT_ID, true);
    expect(t.bank.getConsent).not.toHaveBeenCalled();
  });

  it('remove deletes at the bank, revokes the tokens and soft-deletes', async () => {
    const t = setup();
    await t.service.remove(CONSENT_ID, false);
    expect(t.bank.deleteConsent).toHaveBeenCalledWith(clientContext(), 'bank-vrp-consent-1');
    expect(t.tokens.revoke).toHaveBeenCalledWith({
      consentType: 'domestic-vrp',
      consentId: CONSENT_ID,
    });
    expect(t.repo.markDeleted).toHaveBeenCalledWith(CONSENT_ID);
  });

  it('an unknown consent is not found', async () => {
    const t = setup(null);
    await expect(t.service.get(CONSENT_ID, true)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("funds confirmation fills in the bank's ConsentId and uses the consent's token", async () => {
    const t = setup();
    const outcome = await t.service.confirmFunds(CONSENT_ID, {
      Data: { Reference: 'r', InstructedAmount: { Amount: '5.00', Currency: 'GBP' } },
    });
    expect(t.tokens.getAccessToken).toHaveBeenCalledWith(
      { consentType: 'domestic-vrp', consentId: CONSENT_ID },
      clientContext(),
    );
    expect(t.bank.fundsConfirmation).toHaveBeenCalledWith(clientContext(), 'bank-vrp-consent-1', {
      identity: { organisationId: 'org-1', softwareStatementId: 'sw-1' },
      auth: { kind: 'consent', accessToken: 'psu-token' },
      body: {
        Data: {
          ConsentId: 'bank-vrp-consent-1',
          Reference: 'r',
          InstructedAmount: { Amount: '5.00', Currency: 'GBP' },
        },
      },
    });
    expect(outcome.interactionId).toBe('ia-fc');
  });

  it('funds confirmation on a consent not authorised is refused without a bank call', async () => {
    const t = setup(vrpConsentRow({ status: 'AWAU' }));
    const request = { Data: { InstructedAmount: { Amount: '5.00', Currency: 'GBP' } } };
    expect(await codeOf(t.service.confirmFunds(CONSENT_ID, request))).toBe(
      'consent/not-authorised',
    );
    expect(t.bank.fundsConfirmation).not.toHaveBeenCalled();
    expect(t.tokens.getAccessToken).not.toHaveBeenCalled();
  });

  it('auth contexts are created for the domestic-vrp consent type', async () => {
    const t = setup(vrpConsentRow({ status: 'AWAU' }));
    t.authContexts.create.mockResolvedValue({
      id: 'ac-1',
      created: NOW,
      createdBy: 'key-1',
      reference: null,
      authUrl: 'https://bank/auth',
      state: 's',
      expiresAt: NOW,
    } as never);
    await t.service.createAuthContext(CONSENT_ID, {
      redirectUri: null,
      appSessionId: null,
      reference: null,
      createdBy: 'key-1',
    });
    expect(t.authContexts.create).toHaveBeenCalledWith({
      consentType: 'domestic-vrp',
      consentId: CONSENT_ID,
      createdBy: 'key-1',
      reference: null,
    });
  });

  it('markAuthorised sets AUTH and the time', async () => {
    const t = setup(vrpConsentRow({ status: 'AWAU', authorisedAt: null }));
    await t.service.markAuthorised(CONSENT_ID);
    expect(t.repo.save).toHaveBeenCalledWith(
      expect.objectContaining({ status: 'AUTH', authorisedAt: NOW }),
    );
  });
});
