import { BankCallError, type Clock, type RandomSource } from '@obc/common';
import type { SecretResolver } from '@obc/config';
import type { ConfiguredBankProfile } from '@obc/bank-profiles';
import { QueryFailedError } from 'typeorm';
import { SoftwareStatementEntity } from '../software-statements/software-statement.entity';
import type { SoftwareStatementService } from '../software-statements/software-statement.service';
import { testProfile } from '../testing/fixtures';
import { strictMock } from '@obc/test-support/strict-mock';
import { BankRegistrationEntity } from './bank-registration.entity';
import type { BankRegistrationRepository } from './bank-registration.repository';
import { BankRegistrationService, PENDING_IN_FLIGHT_MS } from './bank-registration.service';
import type { BankSessionFactory } from './bank-session.factory';
import type { DcrRegistrar } from './dcr-registrar';
import { CreateBankRegistration, requestHash } from './registration-request';

const NOW = new Date('2026-01-01T00:00:00Z');
const SS_ID = '44444444-4444-4444-8444-444444444444';

function request(overrides: Partial<CreateBankRegistration> = {}): CreateBankRegistration {
  return {
    bankProfile: 'mock-bank',
    softwareStatementId: SS_ID,
    scopes: null,
    redirectUris: null,
    defaultRedirectUri: null,
    externalApiId: null,
    externalApiSecret: null,
    registrationAccessToken: null,
    reference: null,
    createdBy: 'key-1',
    ...overrides,
  };
}

function setup(profile = testProfile(), group: BankRegistrationEntity[] = []) {
  let n = 0;
  const random = { uuid: () => `00000000-0000-4000-8000-00000000000${n++}` } as RandomSource;
  const clock = { now: () => NOW, nowMs: () => NOW.getTime() } as Clock;
  const statement = Object.assign(new SoftwareStatementEntity(), {
    id: SS_ID,
    softwareId: 'soft1',
    defaultRedirectUri: 'https://tpp.example/cb',
    redirectUris: ['https://tpp.example/cb', 'https://tpp.example/other'],
  });
  const stored: BankRegistrationEntity[] = [];
  const repo = strictMock<BankRegistrationRepository>({
    add: jest.fn(async (row: BankRegistrationEntity) => {
      if (row.idempotencyKey && stored.some((r) => r.idempotencyKey === row.idempotencyKey)) {
        throw new QueryFailedError(
          'INSERT',
          [],
          Object.assign(new Error('UNIQUE constraint failed'), {
            code: 'SQLITE_CONSTRAINT_UNIQUE',
          }),
        );
      }
      stored.push({ ...row, created: NOW } as BankRegistrationEntity);
      return row;
    }),
    saveChanges: jest.fn(async (row: BankRegistrationEntity) => row),
    findByIdempotencyKey: jest.fn(
      async (key: string) => stored.find((r) => r.idempotencyKey === key) ?? null,
    ),
    discardPending: jest.fn(async () => undefined),
    listRegisteredFor: jest.fn(async () => group),
  });
  const statements = strictMock<SoftwareStatementService>({
    getReferenced: jest.fn(async () => statement),
  });
  const sessions = strictMock<BankSessionFactory>({
    configuredProfile: jest.fn(() => profile as ConfiguredBankProfile),
  });
  const registrar = strictMock<DcrRegistrar>({
    register: jest.fn(async (row: BankRegistrationEntity) => {
      row.status = 'registered';
      row.externalApiId = 'client-1';
      row.externalApiResponse = { client_id: 'client-1' };
      return { row, interactionId: 'ia-1' };
    }),
    encrypt: jest.fn(
      async (_id: string, column: string, plain: string) => `enc:${column}:${plain}`,
    ),
    decrypt: jest.fn(async (id: string, _column: string, cipherText: string) =>
      cipherText.replace(/^enc-for-/, `plain-of-${id}-`),
    ),
  });
  const secrets = strictMock<SecretResolver>({
    resolve: jest.fn(async (ref: { name: string }) => `value-of-${ref.name}`),
  });
  const service = new BankRegistrationService(
    repo,
    statements,
    sessions,
    registrar,
    secrets,
    clock,
    random,
  );
  return { service, repo, registrar, secrets, stored };
}

describe('BankRegistrationService.create', () => {
  it('registers by DCR with the profile defaults and the statement redirect URIs, storing only after the bank answered', async () => {
    const { service, repo, registrar } = setup();
    const outcome = await service.create(request(), null);
    expect(registrar.register).toHaveBeenCalledTimes(1);
    const row = registrar.register.mock.calls[0][0];
    expect(row).toMatchObject({
      scopes: ['openid', 'accounts', 'payments'],
      redirectUris: ['https://tpp.example/cb', 'https://tpp.example/other'],
      defaultRedirectUri: 'https://tpp.example/cb',
      registrationMode: 'dcr',
      idempotencyKey: null,
      requestHash: null,
    });
    expect(row.dcrJti).toMatch(/^[0-9a-f-]{36}$/);
    expect(repo.add).toHaveBeenCalledTimes(1);
    expect(outcome).toMatchObject({
      replayed: false,
      interactionId: 'ia-1',
      row: { externalApiId: 'client-1', status: 'registered' },
    });
  });

  it('stores nothing when the bank rejects the registration', async () => {
    const { service, repo, registrar } = setup();
    const rejection = new BankCallError('bank/request-rejected', 'unprocessable', 'rejected', {
      status: 400,
      endpoint: '/register',
      method: 'POST',
      interactionId: 'i',
      body: { error: 'invalid_client_metadata' },
    });
    registrar.register.mockRejectedValueOnce(rejection);
    await expect(service.create(request(), null)).rejects.toBe(rejection);
    expect(repo.add).not.toHaveBeenCalled();
  });

  it('imports an existing client: no DCR call, secrets resolved and encrypted', async () => {
    const { service, registrar, stored } = setup();
    const outcome = await service.create(
      request({
        externalApiId: 'portal-client',
        externalApiSecret: { source: 'env', name: 'SECRET' },
        registrationAccessToken: { source: 'env', name: 'RAT' },
      }),
      null,
    );
    expect(registrar.register).not.toHaveBeenCalled();
    expect(outcome.row).toMatchObject({
      externalApiId: 'portal-client',
      registrationMode: 'import',
      status: 'registered',
      clientSecret: 'enc:clientSecret:value-of-SECRET',
      registrationAccessToken: 'enc:registrationAccessToken:value-of-RAT',
      dcrJti: null,
    });
    expect(stored).toHaveLength(1);
  });

  describe("a brand sharing its group profile's client (registration.sharedWith)", () => {
    const GROUP_ID = '55555555-5555-4555-8555-555555555555';
    const groupRow = (patch: Partial<BankRegistrationEntity> = {}) =>
      Object.assign(new BankRegistrationEntity(), {
        id: GROUP_ID,
        bankProfile: 'group-bank',
        softwareStatementId: SS_ID,
        status: 'registered',
        registrationMode: 'dcr',
        externalApiId: 'group-client',
        clientSecret: 'enc-for-secret',
        tokenEndpointAuthMethod: 'client_secret_basic',
        scopes: ['openid', 'accounts', 'payments'],
        redirectUris: ['https://tpp.example/cb', 'https://tpp.example/other'],
        defaultRedirectUri: 'https://tpp.example/cb',
        externalApiResponse: { client_id: 'group-client' },
        ...patch,
      });
    const brand = () => testProfile({ id: 'brand-bank' }, { sharedWith: 'group-bank' });

    it("reuses the group registration's client with no DCR call, its secret encrypted again for the new row", async () => {
      const { service, registrar, repo, stored } = setup(brand(), [groupRow()]);
      const outcome = await service.create(request({ bankProfile: 'brand-bank' }), null);
      expect(registrar.register).not.toHaveBeenCalled();
      expect(repo.listRegisteredFor).toHaveBeenCalledWith('group-bank', SS_ID);
      expect(registrar.decrypt).toHaveBeenCalledWith(GROUP_ID, 'clientSecret', 'enc-for-secret');
      expect(outcome.row).toMatchObject({
        bankProfile: 'brand-bank',
        registrationMode: 'shared',
        status: 'registered',
        externalApiId: 'group-client',
        tokenEndpointAuthMethod: 'client_secret_basic',
        scopes: ['openid', 'accounts', 'payments'],
        dcrJti: null,
        clientSecret: `enc:clientSecret:plain-of-${GROUP_ID}-secret`,
        externalApiResponse: { client_id: 'group-client' },
      });
      expect(outcome.row.id).not.toBe(GROUP_ID);
      expect(stored).toHaveLength(1);
    });

    it('takes the newest group registration that covers the scopes asked for, never a shared one', async () => {
      const accounts = groupRow({
        id: 'a1',
        externalApiId: 'ais-client',
        scopes: ['openid', 'accounts'],
      });
      const payments = groupRow({
        id: 'p1',
        externalApiId: 'pis-client',
        scopes: ['openid', 'payments'],
      });
      const shared = groupRow({ id: 's1', externalApiId: 'other', registrationMode: 'shared' });
      const { service } = setup(brand(), [shared, accounts, payments]);
      const outcome = await service.create(
        request({ bankProfile: 'brand-bank', scopes: ['openid', 'payments'] }),
        null,
      );
      expect(outcome.row).toMatchObject({
        externalApiId: 'pis-client',
        scopes: ['openid', 'payments'],
      });
    });

    it('refuses with a 409 naming the group profile when it has no registration to share', async () => {
      const { service, registrar, repo } = setup(brand(), []);
      await expect(
        service.create(request({ bankProfile: 'brand-bank' }), null),
      ).rejects.toMatchObject({
        code: 'bank-registration/shared-registration-missing',
        kind: 'conflict',
        detail: expect.stringContaining("Create one with bankProfile 'group-bank' first"),
      });
      expect(registrar.register).not.toHaveBeenCalled();
      expect(repo.add).not.toHaveBeenCalled();
    });

    it('refuses redirect URIs the group client was not registered with', async () => {
      const { service } = setup(brand(), [groupRow()]);
      await expect(
        service.create(
          request({ bankProfile: 'brand-bank', redirectUris: ['https://tpp.example/new'] }),
          null,
        ),
      ).rejects.toMatchObject({
        code: 'bank-registration/shared-registration-missing',
        detail: expect.stringContaining('none of its registrations'),
      });
    });

    it('still imports a client given by externalApiId', async () => {
      const { service, repo } = setup(brand(), [groupRow()]);
      const outcome = await service.create(
        request({ bankProfile: 'brand-bank', externalApiId: 'portal-client' }),
        null,
      );
      expect(repo.listRegisteredFor).not.toHaveBeenCalled();
      expect(outcome.row).toMatchObject({
        registrationMode: 'import',
        externalApiId: 'portal-client',
      });
    });
  });

  it('refuses DCR for a manual-registration profile', async () => {
    const { service, registrar } = setup(testProfile({}, { mode: 'manual' }));
    await expect(service.create(request(), null)).rejects.toMatchObject({
      code: 'bank-registration/dcr-not-supported',
      kind: 'validation',
    });
    expect(registrar.register).not.toHaveBeenCalled();
  });

  describe('with an Idempotency-Key', () => {
    it('commits a pending row before calling the bank, then completes it', async () => {
      const { service, repo, registrar, stored } = setup();
      registrar.register.mockImplementationOnce(async (row: BankRegistrationEntity) => {
        // The pending row is already stored when the bank is called.
        expect(stored).toHaveLength(1);
        expect(stored[0]).toMatchObject({
          status: 'pending',
          idempotencyKey: 'k1',
          requestHash: requestHash(request()),
        });
        row.status = 'registered';
        row.externalApiId = 'client-1';
        return { row, interactionId: 'ia' };
      });
      const outcome = await service.create(request(), 'k1');
      expect(outcome.row.status).toBe('registered');
      expect(repo.saveChanges).toHaveBeenCalledTimes(1);
    });

    it('returns the stored registration for the same key and body without a second bank call', async () => {
      const { service, registrar, stored } = setup();
      await service.create(request(), 'k1');
      stored[0].status = 'registered';
      const again = await service.create(request(), 'k1');
      expect(again.replayed).toBe(true);
      expect(again.row.id).toBe(stored[0].id);
      expect(registrar.register).toHaveBeenCalledTimes(1);
    });

    it('answers 422 idempotency/key-reused for the same key with another body', async () => {
      const { service, registrar } = setup();
      await service.create(request(), 'k1');
      await expect(service.create(request({ scopes: ['openid'] }), 'k1')).rejects.toMatchObject({
        code: 'idempotency/key-reused',
        kind: 'unprocessable',
      });
      expect(registrar.register).toHaveBeenCalledTimes(1);
    });

    it('answers 409 while the first request is in flight, and resumes a stale pending row with the same jti', async () => {
      const { service, registrar, stored } = setup();
      const pending = Object.assign(new BankRegistrationEntity(), {
        id: '55555555-5555-4555-8555-555555555555',
        status: 'pending',
        idempotencyKey: 'k2',
        requestHash: requestHash(request()),
        dcrJti: '66666666-6666-4666-8666-666666666666',
        softwareStatementId: SS_ID,
        created: new Date(NOW.getTime() - 1000),
      });
      stored.push(pending);
      await expect(service.create(request(), 'k2')).rejects.toMatchObject({
        code: 'idempotency/in-progress',
        kind: 'conflict',
      });
      expect(registrar.register).not.toHaveBeenCalled();

      pending.created = new Date(NOW.getTime() - PENDING_IN_FLIGHT_MS - 1);
      const outcome = await service.create(request(), 'k2');
      expect(registrar.register).toHaveBeenCalledTimes(1);
      expect(registrar.register.mock.calls[0][0]).toMatchObject({
        id: pending.id,
        dcrJti: '66666666-6666-4666-8666-666666666666',
      });
      expect(outcome.row.status).toBe('registered');
    });

    it('frees the key when the bank rejects the registration', async () => {
      const { service, repo, registrar } = setup();
      registrar.register.mockRejectedValueOnce(
        new BankCallError('bank/request-rejected', 'unprocessable', 'rejected', {
          status: 400,
          endpoint: '/register',
          method: 'POST',
          interactionId: 'i',
          body: {},
        }),
      );
      await expect(service.create(request(), 'k3')).rejects.toMatchObject({
        code: 'bank/request-rejected',
      });
      expect(repo.discardPending).toHaveBeenCalledTimes(1);
    });

    it('keeps the pending row when the bank did not answer (it may have registered the client)', async () => {
      const { service, repo, registrar } = setup();
      registrar.register.mockRejectedValueOnce(
        new BankCallError('bank/timeout', 'bank-timeout', 'timeout', {
          status: null,
          endpoint: '/register',
          method: 'POST',
          interactionId: 'i',
          body: null,
        }),
      );
      await expect(service.create(request(), 'k4')).rejects.toMatchObject({ code: 'bank/timeout' });
      expect(repo.discardPending).not.toHaveBeenCalled();
    });
  });
});

describe('requestHash', () => {
  it('ignores key order and absent members, and changes with any value', () => {
    const a = request({ scopes: ['openid', 'accounts'] });
    const reordered = Object.fromEntries(
      Object.entries(a).reverse(),
    ) as unknown as CreateBankRegistration;
    expect(requestHash(reordered)).toBe(requestHash(a));
    expect(requestHash(request({ scopes: ['accounts', 'openid'] }))).not.toBe(requestHash(a));
  });
});
