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

describe('GET /v1/manage/bank-profiles with the shipped UK profiles', () => {
  const SHIPPED_DIR = join(__dirname, '../../../bank-profiles');
  /** The groups and brands a UK user expects (issue 5), by profile id. */
  const EXPECTED: Record<string, string[]> = {
    barclays: [
      'barclays-personal',
      'barclays-business',
      'barclays-corporate',
      'barclaycard',
      'barclays-wealth',
      'barclays-sandbox',
    ],
    hsbc: [
      'hsbc-uk-personal',
      'hsbc-uk-business',
      'hsbc-kinetic',
      'hsbcnet-uk',
      'first-direct',
      'hsbc-sandbox',
    ],
    lloyds: [
      'lloyds-personal',
      'halifax',
      'bank-of-scotland-personal',
      'mbna',
      'lloyds-commercial',
      'lloyds-sandbox',
    ],
    natwest: [
      'natwest',
      'rbs',
      'ulster-bank-ni',
      'coutts',
      'mettle',
      'natwest-bankline',
      'natwest-clearspend',
      'natwest-sandbox',
      'rbs-sandbox',
    ],
    nationwide: ['nationwide'],
    'virgin-money': ['virgin-money'],
    santander: ['santander-personal', 'santander-business', 'santander-corporate'],
    monzo: ['monzo'],
    starling: ['starling'],
    revolut: ['revolut'],
    danske: ['danske-personal'],
    'co-operative': ['co-operative-bank', 'smile'],
    tsb: ['tsb'],
    chase: ['chase-uk'],
    tide: ['tide'],
    wise: ['wise'],
    zopa: ['zopa'],
    obie: ['obie-model-bank-sandbox'],
  };
  let app: INestApplication;
  let body: Record<string, unknown>[];

  beforeAll(async () => {
    app = await createApp({ builtinDir: SHIPPED_DIR, overrides: {} });
    body = (await request(app.getHttpServer()).get('/v1/manage/bank-profiles').expect(200))
      .body as Record<string, unknown>[];
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lists 55 or more bank profiles besides the mock bank', () => {
    const banks = body.filter((p) => p.environment !== 'mock');
    expect(banks.length).toBeGreaterThanOrEqual(55);
    expect(new Set(body.map((p) => p.id)).size).toBe(body.length);
  });

  it.each(Object.entries(EXPECTED))('lists the %s group with its brands', (group, ids) => {
    const listed = body.filter((p) => p.group === group).map((p) => p.id);
    expect(listed).toEqual(expect.arrayContaining(ids));
  });

  it('shows each profile with its API versions, registration mode and auth method', () => {
    for (const p of body) {
      expect(Object.keys(p.apiVersions as object).length).toBeGreaterThan(0);
      expect(['dcr', 'manual']).toContain(p.registrationMode);
      expect(typeof p.tokenEndpointAuthMethod).toBe('string');
      expect(p.configured).toBe((p.missingConfiguration as string[]).length === 0);
    }
  });

  it('names the profile whose registration a brand shares (registration.sharedWith), and none for the others', () => {
    expect(body.find((p) => p.id === 'halifax')).toMatchObject({
      sharesRegistrationOf: 'lloyds-personal',
    });
    expect(body.find((p) => p.id === 'natwest-bankline')).toMatchObject({
      sharesRegistrationOf: 'natwest',
    });
    expect(body.find((p) => p.id === 'lloyds-personal')).not.toHaveProperty('sharesRegistrationOf');
  });

  it('marks a profile whose bank does not publish its values as not configured, naming them', () => {
    const hsbcSandbox = body.find((p) => p.id === 'hsbc-sandbox');
    expect(hsbcSandbox).toMatchObject({
      configured: false,
      missingConfiguration: expect.arrayContaining(['issuerUrl', 'financialId']),
    });
    expect(body.find((p) => p.id === 'obie-model-bank-sandbox')).toMatchObject({
      configured: true,
    });
  });
});
