import type { BankHttpClient } from '@obc/bank-http';
import type { ConfiguredBankProfile } from '@obc/bank-profiles';
import type { SecretCipher } from '@obc/persistence';
import type { ClientContext, OpenIdMetadata, TokenService } from '@obc/token-management';
import { testProfile } from '../testing/fixtures';
import { strictMock } from '@obc/test-support/strict-mock';
import { BankRegistrationEntity } from './bank-registration.entity';
import type { BankRegistrationRepository } from './bank-registration.repository';
import type { BankSession } from './bank-session.factory';
import type { ClientContextFactory } from './client-context.factory';
import { RegistrationEndpointClient } from './registration-endpoint.client';
import { managementScope, RegistrationManagementService } from './registration-management.service';
import { ClientContextCache } from './client-context.cache';

const ID = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';

function setup(
  registration: Partial<ConfiguredBankProfile['registration']> = {},
  rat: string | null = 'enc-rat',
  shape: { mode?: 'dcr' | 'shared'; sharing?: BankRegistrationEntity[] } = {},
) {
  const row = Object.assign(new BankRegistrationEntity(), {
    id: ID,
    bankProfile: 'mock-bank',
    registrationMode: shape.mode ?? 'dcr',
    externalApiId: 'client-1',
    scopes: ['openid', 'accounts'],
    registrationAccessToken: rat,
    externalApiResponse: { client_id: 'client-1' },
  });
  const session = {
    profile: testProfile({}, registration) as ConfiguredBankProfile,
    metadata: {
      issuer: 'https://bank',
      token_endpoint: 'https://bank/token',
      jwks_uri: 'https://bank/jwks',
      registration_endpoint: 'https://bank/register',
      raw: {},
    } as OpenIdMetadata,
    transport: { id: 't', certificatePem: 'c', privateKeyPem: 'k' },
    signingKey: { kid: 'kid', privateKeyPem: 's' },
  } as BankSession;
  const context = { registrationId: ID } as ClientContext;
  const repo = strictMock<BankRegistrationRepository>({
    findRegistered: jest.fn(async (id: string) => (id === ID ? row : null)),
    saveChanges: jest.fn(async (r) => r),
    markDeleted: jest.fn(async () => undefined),
    listSharing: jest.fn(async () => shape.sharing ?? []),
  });
  const contexts = strictMock<ClientContextFactory>({
    withSession: jest.fn(async () => ({ context, session })),
  });
  const http = strictMock<BankHttpClient>({
    request: jest.fn(async () => ({
      status: 200,
      headers: {},
      data: { client_id: 'client-1', client_secret: 'again', software_id: 'soft1' },
      rawBody: '',
      interactionId: 'ia-2',
    })),
  });
  const tokens = strictMock<TokenService>({
    getClientCredentialsToken: jest.fn(async () => 'cc-token'),
    invalidate: jest.fn(),
  });
  const cipher = strictMock<SecretCipher>({ decrypt: jest.fn(async () => 'rat-plain') });
  const cache = strictMock<ClientContextCache>({ clear: jest.fn() });
  const service = new RegistrationManagementService(
    repo,
    contexts,
    new RegistrationEndpointClient(http),
    tokens,
    cipher,
    cache,
  );
  return { service, repo, http, tokens, cipher, row, context, cache };
}

describe('RegistrationManagementService', () => {
  it('refreshes from GET /register/{ClientId} with a client-credentials token, secrets dropped', async () => {
    const { service, http, tokens, context, repo } = setup();
    const outcome = await service.read(ID, false);
    expect(tokens.getClientCredentialsToken).toHaveBeenCalledWith(context, 'accounts');
    expect(http.request).toHaveBeenCalledWith(
      expect.objectContaining({
        method: 'GET',
        url: 'https://bank/register/client-1',
        headers: { authorization: 'Bearer cc-token' },
      }),
    );
    expect(outcome.row.externalApiResponse).toEqual({
      client_id: 'client-1',
      software_id: 'soft1',
    });
    expect(outcome.interactionId).toBe('ia-2');
    expect(repo.saveChanges).toHaveBeenCalledTimes(1);
  });

  it('uses the registration access token where the profile manages with it', async () => {
    const { service, http, tokens, cipher } = setup({
      managementAuth: 'registration-access-token',
    });
    await service.read(ID, false);
    expect(tokens.getClientCredentialsToken).not.toHaveBeenCalled();
    expect(cipher.decrypt).toHaveBeenCalledWith('enc-rat', {
      table: 'bank_registration',
      rowId: ID,
      column: 'registrationAccessToken',
    });
    expect(http.request).toHaveBeenCalledWith(
      expect.objectContaining({ headers: { authorization: 'Bearer rat-plain' } }),
    );
  });

  it('does not call the bank when asked not to, or when the profile has no GET /register', async () => {
    const skipped = setup();
    await skipped.service.read(ID, true);
    expect(skipped.http.request).not.toHaveBeenCalled();
    const unsupported = setup({ getSupported: false });
    await unsupported.service.read(ID, false);
    expect(unsupported.http.request).not.toHaveBeenCalled();
  });

  it('404s an unknown id', async () => {
    await expect(
      setup().service.read('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', false),
    ).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('deletes at the bank, then soft-deletes and forgets cached tokens', async () => {
    const { service, http, repo, tokens } = setup();
    await service.remove(ID, false);
    expect(http.request).toHaveBeenCalledWith(
      expect.objectContaining({ method: 'DELETE', url: 'https://bank/register/client-1' }),
    );
    expect(repo.markDeleted).toHaveBeenCalledWith(ID);
    expect(tokens.invalidate).toHaveBeenCalledWith(ID);
  });

  it('deletes only locally with the exclude header or without bank support', async () => {
    const skipped = setup();
    await skipped.service.remove(ID, true);
    expect(skipped.http.request).not.toHaveBeenCalled();
    expect(skipped.repo.markDeleted).toHaveBeenCalledWith(ID);
    // Cached client contexts go with the registration (no bank call uses it afterwards).
    expect(skipped.cache.clear).toHaveBeenCalled();
    const unsupported = setup({ deleteSupported: false });
    await unsupported.service.remove(ID, false);
    expect(unsupported.http.request).not.toHaveBeenCalled();
  });

  it('refuses a bank-side delete that needs a registration access token it does not have', async () => {
    const { service, repo, cache } = setup({ managementAuth: 'registration-access-token' }, null);
    await expect(service.remove(ID, false)).rejects.toMatchObject({
      code: 'bank-registration/no-registration-access-token',
    });
    expect(repo.markDeleted).not.toHaveBeenCalled();
    expect(cache.clear).not.toHaveBeenCalled();
  });

  it('never reads or deletes a shared client at the bank through a brand registration (registration.sharedWith)', async () => {
    const { service, http, repo } = setup({}, 'enc-rat', { mode: 'shared' });
    await service.read(ID, false);
    await service.remove(ID, false);
    expect(http.request).not.toHaveBeenCalled();
    expect(repo.listSharing).not.toHaveBeenCalled();
    expect(repo.markDeleted).toHaveBeenCalledWith(ID);
  });

  it('refuses to delete at the bank a client that brand registrations still share', async () => {
    const brand = Object.assign(new BankRegistrationEntity(), {
      id: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc',
      bankProfile: 'brand-bank',
    });
    const { service, http, repo } = setup({}, 'enc-rat', { sharing: [brand] });
    await expect(service.remove(ID, false)).rejects.toMatchObject({
      code: 'bank-registration/client-shared',
      kind: 'conflict',
      detail: expect.stringContaining('cccccccc-cccc-4ccc-8ccc-cccccccccccc (brand-bank)'),
    });
    expect(repo.listSharing).toHaveBeenCalledWith('client-1');
    expect(http.request).not.toHaveBeenCalled();
    expect(repo.markDeleted).not.toHaveBeenCalled();
    // Only in the connector: the client stays at the bank for the brands.
    await service.remove(ID, true);
    expect(repo.markDeleted).toHaveBeenCalledWith(ID);
  });

  it('picks a client-credentials scope without openid', () => {
    expect(managementScope(['openid', 'payments'], ['openid', 'accounts'])).toBe('payments');
    expect(managementScope(['openid'], ['openid', 'accounts'])).toBe('accounts');
  });
});
