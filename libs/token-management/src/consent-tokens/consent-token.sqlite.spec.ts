import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { BankHttpModule } from '@obc/bank-http';
import { Clock, CommonModule } from '@obc/common';
import { FapiModule } from '@obc/fapi';
import { PersistenceModule, persistenceMigrations, SecretCipher } from '@obc/persistence';
import type { DataSource } from 'typeorm';
import type { ClientContext } from '../client-context';
import { tokenManagementMigrations } from '../migrations';
import { ManualClock } from '../testing/manual-clock';
import { TokenManagementModule } from '../token-management.module';
import type { TokenSet } from '../token-set';
import { DiscoveryService } from '../discovery.service';
import { TokenService } from '../token.service';
import type { ConsentRef } from './consent-ref';
import { ConsentTokenRepository } from './consent-token.repository';
import { ConsentTokenService } from './consent-token.service';

const client = { registrationId: 'reg-1', profileId: 'test-bank' } as ClientContext;
const keyResolver = { resolve: async () => randomBytes(32).toString('base64') };

describe('consent tokens on SQLite (the whole module)', () => {
  let dir: string;
  let moduleRef: TestingModule;
  let clock: ManualClock;
  let refreshGrant: jest.Mock<Promise<TokenSet>, [ClientContext, string]>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obc-consent-token-'));
    clock = new ManualClock();
    refreshGrant = jest.fn<Promise<TokenSet>, [ClientContext, string]>();
    moduleRef = await Test.createTestingModule({
      imports: [
        CommonModule,
        BankHttpModule,
        FapiModule,
        PersistenceModule.forRoot({
          migrations: [...persistenceMigrations, ...tokenManagementMigrations],
          keyResolver,
          settings: {
            useFactory: () => ({
              database: {
                sqlitePath: join(dir, 'c.sqlite'),
                migrateOnStart: true,
                poolSize: 1,
                logging: false,
              },
              encryption: { defaultKey: randomBytes(32), defaultKeyId: 'default' },
            }),
          },
        }),
        TokenManagementModule,
      ],
    })
      .overrideProvider(Clock)
      .useValue(clock)
      .overrideProvider(TokenService)
      .useValue({ refreshGrant })
      .compile();
  });

  afterEach(async () => {
    await moduleRef.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('wires the services with the global common, bank-http, fapi and persistence modules', () => {
    expect(moduleRef.get(ConsentTokenService)).toBeInstanceOf(ConsentTokenService);
    expect(moduleRef.get(DiscoveryService)).toBeInstanceOf(DiscoveryService);
  });

  it('stores only ciphertext, round-trips expiry and refreshes under a transaction', async () => {
    const service = moduleRef.get(ConsentTokenService);
    const ds = moduleRef.get<DataSource>(getDataSourceToken());
    const ref: ConsentRef = { consentType: 'domestic-vrp', consentId: 'c-1' };
    await service.store(ref, {
      accessToken: 'plain-access-1',
      refreshToken: 'plain-refresh-1',
      expiresIn: 300,
      tokenType: 'Bearer',
    });
    const [row] = (await ds.query(`SELECT * FROM consent_token`)) as Record<string, unknown>[];
    expect(JSON.stringify(row)).not.toMatch(/plain-/);
    expect(String(row.accessToken)).toMatch(/^obc1\.default\./);
    expect(row.version).toBe(1);

    // A fresh instance reads the row: the expiry survived the round trip to the nearest second.
    const fresh = new ConsentTokenService(
      moduleRef.get(ConsentTokenRepository),
      moduleRef.get(SecretCipher),
      { refreshGrant } as unknown as TokenService,
      clock,
      { uuid: () => 'unused', token: () => 'unused' },
    );
    clock.advanceSeconds(269);
    expect(await fresh.getAccessToken(ref, client)).toBe('plain-access-1');
    expect(refreshGrant).not.toHaveBeenCalled();

    clock.advanceSeconds(1);
    refreshGrant.mockImplementation(async (_c, refreshToken) => ({
      accessToken: `after-${refreshToken}`,
      refreshToken: 'plain-refresh-2',
      expiresIn: 300,
      tokenType: 'Bearer',
    }));
    // Two consents refreshing at once: SQLite serialises the two transactions.
    const other: ConsentRef = { consentType: 'account-access', consentId: 'c-2' };
    await service.store(other, {
      accessToken: 'x',
      refreshToken: 'plain-refresh-x',
      expiresIn: 1,
      tokenType: 'Bearer',
    });
    clock.advanceSeconds(1);
    expect(
      await Promise.all([service.getAccessToken(ref, client), fresh.getAccessToken(other, client)]),
    ).toEqual(['after-plain-refresh-1', 'after-plain-refresh-x']);
    const rows = (await ds.query(
      `SELECT consentId, version, refreshToken FROM consent_token ORDER BY consentId`,
    )) as { consentId: string; version: number; refreshToken: string }[];
    expect(rows.map((r) => [r.consentId, r.version])).toEqual([
      ['c-1', 2],
      ['c-2', 2],
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/plain-/);
    refreshGrant.mockClear();
    expect(await fresh.getAccessToken(ref, client)).toBe('after-plain-refresh-1');
    expect(refreshGrant).not.toHaveBeenCalled();

    await service.revoke(ref);
    expect(await service.has(ref)).toBe(false);
    expect(await service.has(other)).toBe(true);
  });

  it('migrates down', async () => {
    const ds = moduleRef.get<DataSource>(getDataSourceToken());
    await ds.undoLastMigration();
    expect(
      await ds.query(`SELECT name FROM sqlite_master WHERE type='table' AND name='consent_token'`),
    ).toEqual([]);
  });
});
