import { randomBytes } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { BankHttpModule } from '@obc/bank-http';
import { Clock, CommonModule } from '@obc/common';
import { FapiModule } from '@obc/fapi';
import {
  createDataSourceOptions,
  PersistenceModule,
  persistenceMigrations,
  runMigrations,
  type PersistenceSettings,
} from '@obc/persistence';
import {
  ConsentGrantError,
  ConsentTokenBusyError,
  ConsentTokenService,
  DEFAULT_TOKEN_MANAGEMENT_SETTINGS,
  TokenManagementModule,
  TokenManagementSettings,
  TokenService,
  tokenManagementMigrations,
  type ClientContext,
  type ConsentRef,
  type TokenSet,
} from '@obc/token-management';
import { DataSource } from 'typeorm';
import { ManualClock } from '../../libs/token-management/src/testing/manual-clock';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../support/postgres';

const migrations = [...persistenceMigrations, ...tokenManagementMigrations];
const client = { registrationId: 'reg-1', profileId: 'test-bank' } as ClientContext;
const keyResolver = { resolve: async () => randomBytes(32).toString('base64') };

describeWithPostgres('consent tokens on PostgreSQL across two replicas', () => {
  let db: TestDatabase;
  let settings: PersistenceSettings;
  let raw: DataSource;
  const replicas: TestingModule[] = [];
  const clock = new ManualClock();
  let refreshCalls: string[] = [];

  /** A bank whose refresh takes a while and rotates the refresh token on every call. */
  const refreshGrant = async (_client: ClientContext, refreshToken: string): Promise<TokenSet> => {
    refreshCalls.push(refreshToken);
    await new Promise((r) => setTimeout(r, 150));
    const n = refreshCalls.length + 1;
    return {
      accessToken: `plain-access-${n}`,
      refreshToken: `plain-refresh-${n}`,
      expiresIn: 300,
      tokenType: 'Bearer',
    };
  };

  /** One replica: its own Nest application context and its own DataSource (connection pool). */
  const startReplica = (tokenSettings?: TokenManagementSettings) => {
    const builder = Test.createTestingModule({
      imports: [
        CommonModule,
        BankHttpModule,
        FapiModule,
        PersistenceModule.forRoot({
          migrations,
          keyResolver,
          settings: { useFactory: () => settings },
        }),
        TokenManagementModule,
      ],
    })
      .overrideProvider(Clock)
      .useValue(clock)
      .overrideProvider(TokenService)
      .useValue({ refreshGrant });
    if (tokenSettings) builder.overrideProvider(TokenManagementSettings).useValue(tokenSettings);
    return builder.compile();
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    settings = {
      database: {
        url: db.url,
        sqlitePath: './unused.sqlite',
        migrateOnStart: false,
        poolSize: 10,
        logging: false,
      },
      // Both replicas share the configured key, as deployed replicas do.
      encryption: { defaultKey: randomBytes(32), defaultKeyId: 'default' },
    };
    raw = await new DataSource(createDataSourceOptions(settings.database, migrations)).initialize();
    await runMigrations(raw);
    replicas.push(await startReplica(), await startReplica());
    // A third replica that waits at most one second for another's refresh.
    replicas.push(
      await startReplica({ ...DEFAULT_TOKEN_MANAGEMENT_SETTINGS, refreshLockWaitSeconds: 1 }),
    );
  });

  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    if (raw?.isInitialized) await raw.destroy();
    await db?.drop();
  });

  beforeEach(() => {
    refreshCalls = [];
  });

  it('fifty concurrent callers on two replicas with an expired token cause exactly one refresh', async () => {
    const [a, b] = replicas.map((r) => r.get(ConsentTokenService));
    const ref: ConsentRef = { consentType: 'account-access', consentId: 'consent-race' };
    await a.store(ref, {
      accessToken: 'plain-access-1',
      refreshToken: 'plain-refresh-1',
      expiresIn: 300,
      tokenType: 'Bearer',
    });
    // Both replicas have the token in memory before it expires.
    expect(await a.getAccessToken(ref, client)).toBe('plain-access-1');
    expect(await b.getAccessToken(ref, client)).toBe('plain-access-1');

    clock.advanceSeconds(301);
    const tokens = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).getAccessToken(ref, client)),
    );
    expect(refreshCalls).toEqual(['plain-refresh-1']);
    expect(new Set(tokens)).toEqual(new Set(['plain-access-2']));

    const rows = (await raw.query(`SELECT * FROM consent_token WHERE "consentId" = $1`, [
      ref.consentId,
    ])) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0].version).toBe(2);
    expect(JSON.stringify(rows)).not.toMatch(/plain-/);
    expect(String(rows[0].refreshToken)).toMatch(/^obc1\.default\./);
    expect((rows[0].accessTokenExpiresAt as Date).getTime()).toBe(clock.nowMs() + 300_000);

    // The rotated refresh token was persisted: the next refresh, from either replica, uses it.
    clock.advanceSeconds(301);
    expect(await b.getAccessToken(ref, client)).toBe('plain-access-3');
    expect(refreshCalls).toEqual(['plain-refresh-1', 'plain-refresh-2']);
    expect(await a.getAccessToken(ref, client)).toBe('plain-access-3');
    expect(refreshCalls).toHaveLength(2);
  });

  it('a ciphertext copied to another row does not decrypt (AAD binds it to its row)', async () => {
    const [a] = replicas.map((r) => r.get(ConsentTokenService));
    const first: ConsentRef = { consentType: 'domestic-payment', consentId: 'p-1' };
    const second: ConsentRef = { consentType: 'domestic-payment', consentId: 'p-2' };
    const set: TokenSet = { accessToken: 'plain-a', expiresIn: 300, tokenType: 'Bearer' };
    await a.store(first, set);
    await a.store(second, { ...set, accessToken: 'plain-b' });
    await raw.query(
      `UPDATE consent_token SET "accessToken" = (SELECT "accessToken" FROM consent_token WHERE "consentId" = 'p-1') WHERE "consentId" = 'p-2'`,
    );
    await expect(
      replicas[1].get(ConsentTokenService).getAccessToken(second, client),
    ).rejects.toThrow();
    expect(await replicas[1].get(ConsentTokenService).getAccessToken(first, client)).toBe(
      'plain-a',
    );
  });

  it('a refused refresh is recorded once for every replica', async () => {
    const [a, b] = replicas.map((r) => r.get(ConsentTokenService));
    const ref: ConsentRef = { consentType: 'domestic-vrp', consentId: 'vrp-1' };
    await a.store(ref, {
      accessToken: 'plain-x',
      refreshToken: 'plain-refused',
      expiresIn: 60,
      tokenType: 'Bearer',
    });
    clock.advanceSeconds(61);
    // The bank refuses on whichever replica wins the row lock.
    const refuse = jest.fn(() => Promise.reject(new ConsentGrantError('invalid_grant')));
    const spies = replicas.map((r) =>
      jest
        .spyOn(r.get<{ refreshGrant: typeof refreshGrant }>(TokenService), 'refreshGrant')
        .mockImplementation(refuse),
    );
    try {
      const results = await Promise.allSettled([
        a.getAccessToken(ref, client),
        b.getAccessToken(ref, client),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect(refuse).toHaveBeenCalledTimes(1);
      await expect(b.getAccessToken(ref, client)).rejects.toMatchObject({
        code: 'consent/not-authorised',
      });
      expect(refuse).toHaveBeenCalledTimes(1);
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
  });

  it('a refresh waits a bounded time behind a lock holder that hangs, then answers consent/token-refresh-busy; it refreshes once the lock is gone', async () => {
    const [a, , impatient] = replicas.map((r) => r.get(ConsentTokenService));
    const ref: ConsentRef = { consentType: 'account-access', consentId: 'consent-hung-holder' };
    await a.store(ref, {
      accessToken: 'plain-h1',
      refreshToken: 'plain-hr1',
      expiresIn: 60,
      tokenType: 'Bearer',
    });
    clock.advanceSeconds(61);
    // A "replica" that took the row lock and hangs (its transaction stays open).
    const holder = raw.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(`SELECT id FROM consent_token WHERE "consentId" = $1 FOR UPDATE`, [
        ref.consentId,
      ]);
      const error: unknown = await impatient.getAccessToken(ref, client).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConsentTokenBusyError);
      expect(error).toMatchObject({ code: 'consent/token-refresh-busy', kind: 'unavailable' });
      expect(refreshCalls).toEqual([]);
    } finally {
      // The holder goes away (rollback, as when its connection closes).
      await holder.rollbackTransaction();
      await holder.release();
    }
    expect(await impatient.getAccessToken(ref, client)).toBe('plain-access-2');
    expect(refreshCalls).toEqual(['plain-hr1']);
  });
});
