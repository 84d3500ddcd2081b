import {
  BankProfileRegistry,
  buildBankProfile,
  CONSENT_TYPE_SCOPE,
  STANDARD_QUIRKS,
} from '@obc/bank-profiles';
import type { ClientContextFactory } from '@obc/bank-registration';
import { Clock, DomainError, NotFoundError, RandomSource } from '@obc/common';
import type { AuthContextsPort, ConsentTokens, Sleeper } from '../account-access.ports';
import { strictMock } from '@obc/test-support/strict-mock';
import {
  clientContext,
  CONSENT_ID,
  consentRow,
  registrationDetails,
  REGISTRATION_ID,
} from '../testing/fixtures';
import { AccountAccessAuthorisationTargetRegistrar } from './account-access-authorisation.target';
import type { AccountAccessConsentBankClient } from './account-access-consent-bank.client';
import type { AccountAccessConsentEntity } from './account-access-consent.entity';
import type { AccountAccessConsentRepository } from './account-access-consent.repository';
import { AccountAccessConsentService } from './account-access-consent.service';
import { CreateAccountAccessConsent, requestHash } from './consent-request';

const NOW = new Date('2026-02-01T10:00:00Z');
const profile = buildBankProfile({
  quirks: {
    ...structuredClone(STANDARD_QUIRKS),
    postCreateConsentDelayMs: 250,
    accountAccess: { unsupportedPermissions: ['ReadOffers', 'ReadPAN'] },
  },
});

function setup() {
  const repo = strictMock<AccountAccessConsentRepository>({
    add: jest.fn(async (row: AccountAccessConsentEntity) => row),
    saveChanges: jest.fn(async (row: AccountAccessConsentEntity) => row),
    findActive: jest.fn(),
    findByIdempotencyKey: jest.fn(async () => null),
    markDeleted: jest.fn(async () => undefined),
  });
  const bank = strictMock<AccountAccessConsentBankClient>({
    create: jest.fn(async () => ({
      consentId: 'bank-consent-9',
      status: 'AwaitingAuthorisation',
      body: { Data: { ConsentId: 'bank-consent-9', Status: 'AwaitingAuthorisation' } },
      interactionId: 'ia-1',
    })),
    get: jest.fn(),
    delete: jest.fn(async () => ({ interactionId: 'ia-del' })),
  });
  const clients = strictMock<ClientContextFactory>({
    details: jest.fn(async () => registrationDetails()),
    forRegistration: jest.fn(async () => clientContext()),
  });
  const profiles = strictMock<BankProfileRegistry>({ get: jest.fn(() => profile) });
  const tokens = strictMock<ConsentTokens>({ revoke: jest.fn(async () => undefined) });
  const authContexts = strictMock<AuthContextsPort>({ create: jest.fn() });
  const sleeper = strictMock<Sleeper>({ sleep: jest.fn(async () => undefined) });
  const clock = strictMock<Clock>({ now: jest.fn(() => NOW) });
  const random = strictMock<RandomSource>({ uuid: jest.fn(() => CONSENT_ID) });
  const service = new AccountAccessConsentService(
    repo,
    bank,
    clients,
    profiles,
    tokens,
    authContexts,
    sleeper,
    clock,
    random,
  );
  return { service, repo, bank, clients, profiles, tokens, authContexts, sleeper };
}

function template(patch: Partial<CreateAccountAccessConsent> = {}): CreateAccountAccessConsent {
  return {
    bankRegistrationId: REGISTRATION_ID,
    templateRequest: { type: 'MaximumPermissions' },
    externalApiRequest: null,
    externalApiUserId: 'user-7',
    reference: 'ref',
    createdBy: 'key-1',
    ...patch,
  };
}

describe('AccountAccessConsentService.create', () => {
  it('creates the pruned template at the bank, stores it and waits the profile delay', async () => {
    const { service, bank, repo, sleeper } = setup();
    const outcome = await service.create(template(), null);

    const sent = bank.create.mock.calls[0][1];
    expect(sent.Data.Permissions).not.toContain('ReadOffers');
    expect(sent.Data.Permissions).not.toContain('ReadPAN');
    expect(sent.Data.Permissions).toContain('ReadTransactionsDetail');
    expect(bank.create.mock.calls[0][0]).toEqual(clientContext());
    expect(outcome.interactionId).toBe('ia-1');
    expect(outcome.row).toMatchObject({
      id: CONSENT_ID,
      bankRegistrationId: REGISTRATION_ID,
      externalApiId: 'bank-consent-9',
      status: 'AWAU' /* v3 word from the bank, stored as the v4.0 code */,
      externalApiUserId: 'user-7',
      idempotencyKey: null,
      requestHash: null,
    });
    expect(repo.add).toHaveBeenCalledTimes(1);
    expect(sleeper.sleep).toHaveBeenCalledWith(250);
  });

  it('refuses neither template nor request before calling the bank', async () => {
    const { service, bank } = setup();
    await expect(service.create(template({ templateRequest: null }), null)).rejects.toMatchObject({
      code: 'account-access-consent/request-ambiguous',
    });
    expect(bank.create).not.toHaveBeenCalled();
  });

  it('stores the key and the body hash with the row', async () => {
    const { service } = setup();
    const outcome = await service.create(template(), 'key-abc');
    expect(outcome.row.idempotencyKey).toBe('key-abc');
    expect(outcome.row.requestHash).toBe(requestHash(template()));
  });

  it('returns the stored consent for the same key and body, without calling the bank', async () => {
    const { service, bank, repo } = setup();
    const earlier = consentRow({ idempotencyKey: 'key-abc', requestHash: requestHash(template()) });
    repo.findByIdempotencyKey.mockResolvedValue(earlier);
    const outcome = await service.create(template(), 'key-abc');
    expect(outcome.row).toBe(earlier);
    expect(outcome.interactionId).toBeUndefined();
    expect(bank.create).not.toHaveBeenCalled();
  });

  it('refuses the same key with another body: 422 idempotency/key-reused', async () => {
    const { service, bank, repo } = setup();
    repo.findByIdempotencyKey.mockResolvedValue(
      consentRow({ idempotencyKey: 'key-abc', requestHash: requestHash(template()) }),
    );
    const error = await service
      .create(template({ reference: 'other' }), 'key-abc')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'idempotency/key-reused', kind: 'unprocessable' });
    expect(bank.create).not.toHaveBeenCalled();
  });
});

describe('AccountAccessConsentService get / remove', () => {
  it('refreshes status and body from the bank unless excluded', async () => {
    const { service, repo, bank } = setup();
    repo.findActive.mockResolvedValue(consentRow());
    bank.get.mockResolvedValue({
      consentId: 'bank-consent-1',
      status: 'Rejected',
      body: { Data: { ConsentId: 'bank-consent-1', Status: 'Rejected' } },
      interactionId: 'ia-get',
    });
    const outcome = await service.get(CONSENT_ID, false);
    expect(bank.get).toHaveBeenCalledWith(clientContext(), 'bank-consent-1');
    expect(outcome.row.status).toBe('RJCT'); // the bank's v3 word, as the v4.0 code
    expect(outcome.interactionId).toBe('ia-get');

    bank.get.mockClear();
    await service.get(CONSENT_ID, true);
    expect(bank.get).not.toHaveBeenCalled();
  });

  it('unknown id: not-found', async () => {
    const { service, repo } = setup();
    repo.findActive.mockResolvedValue(null);
    await expect(service.get(CONSENT_ID, true)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('deletes at the bank, revokes tokens and soft-deletes', async () => {
    const { service, repo, bank, tokens } = setup();
    repo.findActive.mockResolvedValue(consentRow());
    expect(await service.remove(CONSENT_ID, false)).toEqual({ interactionId: 'ia-del' });
    expect(bank.delete).toHaveBeenCalledWith(clientContext(), 'bank-consent-1');
    expect(tokens.revoke).toHaveBeenCalledWith({
      consentType: 'account-access',
      consentId: CONSENT_ID,
    });
    expect(repo.markDeleted).toHaveBeenCalledWith(CONSENT_ID);
  });

  it('with the exclude header: no bank call, tokens still revoked', async () => {
    const { service, repo, bank, tokens } = setup();
    repo.findActive.mockResolvedValue(consentRow());
    await service.remove(CONSENT_ID, true);
    expect(bank.delete).not.toHaveBeenCalled();
    expect(tokens.revoke).toHaveBeenCalled();
    expect(repo.markDeleted).toHaveBeenCalledWith(CONSENT_ID);
  });

  it('creates an auth context for an account-access consent', async () => {
    const { service, repo, authContexts } = setup();
    repo.findActive.mockResolvedValue(consentRow());
    const created = {
      id: 'ctx-1',
      created: NOW,
      createdBy: 'key-1',
      reference: null,
      authUrl: 'https://auth/x',
      state: 's',
      expiresAt: NOW,
    };
    authContexts.create.mockResolvedValue(created);
    await expect(
      service.createAuthContext(CONSENT_ID, {
        redirectUri: null,
        appSessionId: 'sess',
        reference: null,
        createdBy: 'key-1',
      }),
    ).resolves.toBe(created);
    expect(authContexts.create).toHaveBeenCalledWith({
      consentType: 'account-access',
      consentId: CONSENT_ID,
      appSessionId: 'sess',
      createdBy: 'key-1',
      reference: null,
    });
  });
});

describe('AccountAccessAuthorisationTargetRegistrar', () => {
  it('registers an accounts-scoped target that describes and authorises consents', async () => {
    const { service, repo, clients, profiles } = setup();
    const registry = { register: jest.fn() };
    const registrar = new AccountAccessAuthorisationTargetRegistrar(
      registry,
      service,
      clients,
      profiles,
    );
    registrar.onModuleInit();

    expect(registry.register).toHaveBeenCalledTimes(1);
    const target = registry.register.mock.calls[0][0] as ReturnType<typeof registrar.target>;
    expect(target.consentType).toBe('account-access');
    // The consent type names the scope it is authorised with.
    expect(CONSENT_TYPE_SCOPE[target.consentType]).toBe('accounts');

    const row = consentRow();
    repo.findActive.mockResolvedValue(row);
    await expect(target.describe(CONSENT_ID)).resolves.toEqual({
      client: clientContext(),
      profile,
      intentId: 'bank-consent-1',
      redirectUris: registrationDetails().redirectUris,
      defaultRedirectUri: 'https://app.example/cb',
      status: 'AWAU',
    });

    await target.onAuthorised(CONSENT_ID);
    expect(repo.saveChanges).toHaveBeenCalledWith(
      expect.objectContaining({ status: 'AUTH', authorisedAt: NOW }),
    );
  });
});
