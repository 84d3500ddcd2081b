import { CryptoRandomSource, DomainError } from '@obc/common';
import type { EncryptionAad, SecretCipher } from '@obc/persistence';
import type { ClientContext } from '../client-context';
import { ConsentGrantError } from '../consent-grant.error';
import { InMemoryConsentTokenRepository } from '../testing/in-memory-consent-token.repository';
import { ManualClock } from '../testing/manual-clock';
import { strictMock } from '@obc/test-support/strict-mock';
import type { TokenSet } from '../token-set';
import type { TokenService } from '../token.service';
import type { ConsentRef } from './consent-ref';
import { ConsentTokenService } from './consent-token.service';

const ref: ConsentRef = { consentType: 'account-access', consentId: 'consent-1' };
const client = { registrationId: 'reg-1', profileId: 'test-bank' } as ClientContext;

/** Reversible, AAD-bound "encryption": enough to see what is stored where, never plaintext. */
function fakeCipher(): jest.Mocked<SecretCipher> {
  const bind = (aad: EncryptionAad) => `enc(${aad.table}|${aad.rowId}|${aad.column})`;
  return strictMock<SecretCipher>({
    encrypt: jest.fn(
      async (plain: string, aad: EncryptionAad) =>
        `${bind(aad)}:${Buffer.from(plain).toString('base64url')}`,
    ),
    decrypt: jest.fn(async (stored: string, aad: EncryptionAad) => {
      const [prefix, body] = stored.split(':');
      if (prefix !== bind(aad)) throw new Error('AAD mismatch');
      return Buffer.from(body, 'base64url').toString();
    }),
  });
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const tokens = (over: Partial<TokenSet> = {}): TokenSet => ({
  accessToken: 'access-1',
  refreshToken: 'refresh-1',
  expiresIn: 300,
  tokenType: 'Bearer',
  ...over,
});

describe('ConsentTokenService', () => {
  let clock: ManualClock;
  let repo: InMemoryConsentTokenRepository;
  let cipher: jest.Mocked<SecretCipher>;
  let refreshGrant: jest.Mock<Promise<TokenSet>, [ClientContext, string, string?]>;
  let service: ConsentTokenService;

  const replica = () =>
    new ConsentTokenService(
      repo.asRepository(),
      cipher,
      strictMock<TokenService>({ refreshGrant }),
      clock,
      new CryptoRandomSource(),
      { earlyExpirySeconds: 30, discoveryCacheSeconds: 3600 },
    );

  beforeEach(() => {
    clock = new ManualClock();
    repo = new InMemoryConsentTokenRepository();
    cipher = fakeCipher();
    refreshGrant = jest.fn<Promise<TokenSet>, [ClientContext, string, string?]>();
    service = replica();
  });

  const stored = () => {
    const row = [...repo.rows.values()][0];
    if (!row) throw new Error('no row stored');
    return row;
  };
  const decryptStored = (column: 'accessToken' | 'refreshToken') => {
    const row = stored();
    return cipher.decrypt(String(row[column]), {
      table: 'consent_token',
      rowId: row.id,
      column,
    });
  };

  it('stores tokens encrypted and bound to the row, and serves the access token from memory', async () => {
    await service.store(ref, tokens());
    const row = stored();
    expect(row).toMatchObject({
      consentType: 'account-access',
      consentId: 'consent-1',
      version: 1,
    });
    expect(row.accessToken).not.toContain('access-1');
    expect(row.accessToken).toContain(`consent_token|${row.id}|accessToken`);
    expect(row.refreshToken).toContain(`consent_token|${row.id}|refreshToken`);
    expect(row.accessTokenExpiresAt?.getTime()).toBe(clock.nowMs() + 300_000);
    expect(await service.has(ref)).toBe(true);
    expect(await service.has({ ...ref, consentType: 'domestic-payment' })).toBe(false);

    const find = jest.spyOn(repo, 'find');
    expect(await service.getAccessToken(ref, client)).toBe('access-1');
    expect(await service.getAccessToken(ref, client)).toBe('access-1');
    expect(find).toHaveBeenCalledTimes(1);
    expect(cipher.decrypt).toHaveBeenCalledTimes(1);
    expect(refreshGrant).not.toHaveBeenCalled();
  });

  it('refreshes once the early expiry is reached and saves the rotated refresh token', async () => {
    await service.store(ref, tokens());
    clock.advanceSeconds(300 - 30 - 1);
    expect(await service.getAccessToken(ref, client)).toBe('access-1');
    refreshGrant.mockResolvedValueOnce(
      tokens({ accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 600 }),
    );
    clock.advanceSeconds(1);
    expect(await service.getAccessToken(ref, client)).toBe('access-2');
    expect(refreshGrant).toHaveBeenCalledWith(client, 'refresh-1', undefined);
    expect(stored().version).toBe(2);
    expect(await decryptStored('refreshToken')).toBe('refresh-2');
    expect(await decryptStored('accessToken')).toBe('access-2');
    expect(stored().accessTokenExpiresAt?.getTime()).toBe(clock.nowMs() + 600_000);

    // The next refresh uses the rotated token.
    refreshGrant.mockResolvedValueOnce(tokens({ accessToken: 'access-3', refreshToken: 'r-3' }));
    clock.advanceSeconds(600);
    expect(await service.getAccessToken(ref, client)).toBe('access-3');
    expect(refreshGrant).toHaveBeenLastCalledWith(client, 'refresh-2', undefined);
  });

  it("refreshes with the consent type's scope when the client names one (scopeInConsentGrants)", async () => {
    const coop: ClientContext = {
      ...client,
      consentGrantScopes: { 'account-access': 'accounts offline', 'domestic-payment': 'payments' },
    };
    await service.store(ref, tokens());
    clock.advanceSeconds(301);
    refreshGrant.mockResolvedValueOnce(tokens({ accessToken: 'access-2' }));
    expect(await service.getAccessToken(ref, coop)).toBe('access-2');
    expect(refreshGrant).toHaveBeenCalledWith(coop, 'refresh-1', 'accounts offline');
  });

  it('keeps the stored refresh token when a refresh response has none', async () => {
    await service.store(ref, tokens());
    clock.advanceSeconds(301);
    refreshGrant.mockResolvedValueOnce(
      tokens({ accessToken: 'access-2', refreshToken: undefined }),
    );
    expect(await service.getAccessToken(ref, client)).toBe('access-2');
    expect(await decryptStored('refreshToken')).toBe('refresh-1');
  });

  it('single flight: fifty concurrent callers on an expired token cause one refresh', async () => {
    await service.store(ref, tokens());
    clock.advanceSeconds(301);
    const answer = deferred<TokenSet>();
    refreshGrant.mockReturnValueOnce(answer.promise);
    const calls = Array.from({ length: 50 }, () => service.getAccessToken(ref, client));
    await new Promise((r) => setImmediate(r));
    answer.resolve(tokens({ accessToken: 'access-2', refreshToken: 'refresh-2' }));
    expect(new Set(await Promise.all(calls))).toEqual(new Set(['access-2']));
    expect(refreshGrant).toHaveBeenCalledTimes(1);
    expect(repo.transactions).toBe(2); // the store, then the one refresh
  });

  it('a second replica waiting on the lock uses the first one’s refresh instead of refreshing again', async () => {
    await service.store(ref, tokens());
    const other = replica();
    clock.advanceSeconds(301);
    const answer = deferred<TokenSet>();
    refreshGrant.mockReturnValueOnce(answer.promise);
    const first = service.getAccessToken(ref, client);
    const second = other.getAccessToken(ref, client);
    await new Promise((r) => setImmediate(r));
    answer.resolve(tokens({ accessToken: 'access-2', refreshToken: 'refresh-2' }));
    expect(await first).toBe('access-2');
    expect(await second).toBe('access-2');
    expect(refreshGrant).toHaveBeenCalledTimes(1);
    expect(stored().version).toBe(2);
  });

  it('expired without a refresh token: consent/expired, without calling the bank', async () => {
    await service.store(ref, tokens({ refreshToken: undefined }));
    clock.advanceSeconds(300);
    const error = await service.getAccessToken(ref, client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'consent/expired', kind: 'forbidden' });
    expect(refreshGrant).not.toHaveBeenCalled();
  });

  it('an unknown expiry is used until the bank refuses it; invalidate then forces a refresh', async () => {
    await service.store(ref, tokens({ expiresIn: undefined }));
    expect(stored().accessTokenExpiresAt).toBeNull();
    clock.advanceSeconds(30 * 24 * 3600);
    expect(await service.getAccessToken(ref, client)).toBe('access-1');
    expect(refreshGrant).not.toHaveBeenCalled();

    refreshGrant.mockResolvedValueOnce(tokens({ accessToken: 'access-2', expiresIn: undefined }));
    await service.invalidate(ref, 'access-1');
    expect(await service.getAccessToken(ref, client)).toBe('access-2');
    expect(refreshGrant).toHaveBeenCalledTimes(1);
  });

  it('invalidate leaves a newer token (another replica refreshed meanwhile) alone', async () => {
    await service.store(ref, tokens({ expiresIn: undefined }));
    expect(await service.getAccessToken(ref, client)).toBe('access-1');
    await replica().store(ref, tokens({ accessToken: 'access-new', expiresIn: undefined }));
    await service.invalidate(ref, 'access-1');
    expect(await service.getAccessToken(ref, client)).toBe('access-new');
    expect(refreshGrant).not.toHaveBeenCalled();
  });

  it('concurrent refusals of one token cause one refresh; a late refusal of the old token retires nothing', async () => {
    await service.store(ref, tokens({ expiresIn: undefined }));
    expect(await service.getAccessToken(ref, client)).toBe('access-1');
    refreshGrant.mockResolvedValueOnce(tokens({ accessToken: 'access-2', expiresIn: undefined }));
    await service.invalidate(ref, 'access-1');
    expect(await service.getAccessToken(ref, client)).toBe('access-2');
    // Another request that was still using access-1 is refused after the refresh.
    await service.invalidate(ref, 'access-1');
    await replica().invalidate(ref, 'access-1');
    expect(await service.getAccessToken(ref, client)).toBe('access-2');
    expect(await replica().getAccessToken(ref, client)).toBe('access-2');
    expect(refreshGrant).toHaveBeenCalledTimes(1);
  });

  it('refusals of one token arriving while its refresh is in flight join it: one refresh transaction', async () => {
    await service.store(ref, tokens({ expiresIn: undefined }));
    expect(await service.getAccessToken(ref, client)).toBe('access-1');
    const answer = deferred<TokenSet>();
    refreshGrant.mockReturnValueOnce(answer.promise);
    // Each request the bank refused retires the token, then asks for a new one (as the read
    // path does). The first starts the refresh; the later ones must not cancel it and start
    // transactions of their own (each would hold a pooled connection waiting on the row lock).
    const retry = async () => {
      await service.invalidate(ref, 'access-1');
      return service.getAccessToken(ref, client);
    };
    const first = retry();
    await new Promise((r) => setImmediate(r));
    const later = Array.from({ length: 49 }, retry);
    await new Promise((r) => setImmediate(r));
    answer.resolve(tokens({ accessToken: 'access-2', expiresIn: undefined }));
    expect(new Set(await Promise.all([first, ...later]))).toEqual(new Set(['access-2']));
    expect(refreshGrant).toHaveBeenCalledTimes(1);
    expect(repo.transactions).toBe(2); // the store, then the one refresh
  });

  it('a refused refresh: consent/not-authorised, remembered so later calls do not ask the bank', async () => {
    await service.store(ref, tokens());
    clock.advanceSeconds(301);
    refreshGrant.mockRejectedValueOnce(new ConsentGrantError('invalid_grant'));
    await expect(service.getAccessToken(ref, client)).rejects.toMatchObject({
      code: 'consent/not-authorised',
      kind: 'forbidden',
    });
    expect(stored().refreshRefusedAt).toEqual(clock.now());
    await expect(replica().getAccessToken(ref, client)).rejects.toBeInstanceOf(ConsentGrantError);
    expect(refreshGrant).toHaveBeenCalledTimes(1);

    // A new authorisation stores new tokens and clears the refusal.
    await service.store(ref, tokens({ accessToken: 'access-again' }));
    expect(await service.getAccessToken(ref, client)).toBe('access-again');
  });

  it('another refresh failure is not remembered: the next call tries again', async () => {
    await service.store(ref, tokens());
    clock.advanceSeconds(301);
    refreshGrant.mockRejectedValueOnce(
      new DomainError('bank/server-error', 'bank-failure', 'Bank failed'),
    );
    await expect(service.getAccessToken(ref, client)).rejects.toMatchObject({
      code: 'bank/server-error',
    });
    expect(stored().version).toBe(1);
    expect(stored().refreshRefusedAt).toBeNull();
    refreshGrant.mockResolvedValueOnce(tokens({ accessToken: 'access-2' }));
    expect(await service.getAccessToken(ref, client)).toBe('access-2');
  });

  it('store replaces the cached token; revoke deletes the row', async () => {
    await service.store(ref, tokens());
    expect(await service.getAccessToken(ref, client)).toBe('access-1');
    await service.store(ref, tokens({ accessToken: 'access-2' }));
    expect(await service.getAccessToken(ref, client)).toBe('access-2');
    expect(repo.rows.size).toBe(1);
    expect(stored().version).toBe(2);

    await service.revoke(ref);
    expect(await service.has(ref)).toBe(false);
    await expect(service.getAccessToken(ref, client)).rejects.toMatchObject({
      code: 'consent/not-authorised',
    });
  });

  it('a consent without stored tokens is not authorised', async () => {
    await expect(service.getAccessToken(ref, client)).rejects.toMatchObject({
      code: 'consent/not-authorised',
    });
  });
});
