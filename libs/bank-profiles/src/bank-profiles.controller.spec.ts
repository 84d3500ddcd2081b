import { INestApplication, VersioningType } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ProblemDetailsFilter } from '@obc/common';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { BANK_PROFILE_REGISTRY, BankProfileRegistry } from './bank-profile.registry';
import { BANK_PROFILES_CONFIG, BankProfilesConfig } from './bank-profiles.config';
import { BankProfilesModule } from './bank-profiles.module';
import { profileDocument } from './testing/bank-profile.builder';

async function createApp(config: BankProfilesConfig): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [BankProfilesModule] })
    .overrideProvider(BANK_PROFILES_CONFIG)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.enableVersioning({ type: VersioningType.URI });
  app.useGlobalFilters(new ProblemDetailsFilter());
  await app.init();
  return app;
}

describe('BankProfilesController (GET /v1/manage/bank-profiles)', () => {
  let root: string;
  let app: INestApplication;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'obc-profiles-'));
    const dir = join(root, 'profiles');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'test-bank.json'),
      JSON.stringify(profileDocument('test-bank', { brand: 'test-brand' })),
    );
    writeFileSync(
      join(dir, 'live-bank.json'),
      JSON.stringify(
        profileDocument('live-bank', {
          environment: 'production',
          financialId: undefined,
          apis: {
            variableRecurringPayments: {
              version: 'v3.1.11',
              baseUrl: 'https://rs.live.example/open-banking/v3.1/pisp',
            },
          },
          registration: { mode: 'manual' },
          tokenEndpointAuthMethod: 'private_key_jwt',
          requiredConfiguration: ['financialId'],
          quirks: { postCreateConsentDelayMs: 100 },
        }),
      ),
    );
    app = await createApp({
      builtinDir: dir,
      overrides: { 'test-bank': { issuerUrl: 'https://localhost:9443' } },
    });
  });

  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists every loaded profile', async () => {
    const res = await request(app.getHttpServer()).get('/v1/manage/bank-profiles').expect(200);
    expect(res.body).toEqual([
      {
        id: 'live-bank',
        displayName: 'Test Bank',
        group: 'test',
        environment: 'production',
        apiVersions: { variableRecurringPayments: 'v3.1.11' },
        registrationMode: 'manual',
        tokenEndpointAuthMethod: 'private_key_jwt',
        consentTypes: ['domestic-vrp'],
        configured: false,
        missingConfiguration: ['financialId'],
        issuerUrl: 'https://auth.test-bank.example',
      },
      {
        id: 'test-bank',
        displayName: 'Test Bank',
        group: 'test',
        brand: 'test-brand',
        environment: 'sandbox',
        apiVersions: { accountAndTransaction: 'v4.0', paymentInitiation: 'v4.0' },
        registrationMode: 'dcr',
        tokenEndpointAuthMethod: 'tls_client_auth',
        consentTypes: ['account-access', 'domestic-payment'],
        configured: true,
        missingConfiguration: [],
        issuerUrl: 'https://localhost:9443',
        financialId: '0015800001041TEST',
      },
    ]);
  });

  it('gets one profile by id', async () => {
    const res = await request(app.getHttpServer())
      .get('/v1/manage/bank-profiles/test-bank')
      .expect(200);
    expect(res.body).toMatchObject({
      id: 'test-bank',
      configured: true,
      issuerUrl: 'https://localhost:9443',
    });
    expect(res.body).not.toHaveProperty('quirks');
    expect(res.body).not.toHaveProperty('sourceFile');
  });

  it('answers 404 bank-profile/not-found for an unknown id, listing the known ids', async () => {
    const res = await request(app.getHttpServer())
      .get('/v1/manage/bank-profiles/nope-bank')
      .expect(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({
      status: 404,
      code: 'bank-profile/not-found',
      knownProfiles: ['live-bank', 'test-bank'],
    });
    expect(res.body.detail).toContain(
      "No bank profile with id 'nope-bank'. Known profiles: live-bank, test-bank.",
    );
  });

  it('exports the registry to other modules', () => {
    const registry = app.get<BankProfileRegistry>(BANK_PROFILE_REGISTRY);
    expect(registry.has('live-bank')).toBe(true);
  });
});

describe('BankProfilesModule start-up', () => {
  it('stops the application from starting when a profile is invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obc-profiles-'));
    try {
      writeFileSync(
        join(dir, 'bad-bank.json'),
        JSON.stringify(profileDocument('bad-bank', { registration: { mode: 'auto' } })),
      );
      await expect(createApp({ builtinDir: dir, overrides: {} })).rejects.toThrow(
        /bad-bank\.json: \/registration\/mode must be one of dcr, manual \(got 'auto'\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
