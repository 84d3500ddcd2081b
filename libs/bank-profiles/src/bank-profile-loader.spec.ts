import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BankProfileLoadError } from './bank-profile-load.error';
import { BankProfileLoaderLogger, loadBankProfiles } from './bank-profile-loader';
import type { BankProfilesConfig } from './bank-profiles.config';
import { profileDocument } from './testing/bank-profile.builder';
import { apiFinancialId } from './bank-profile-resolve';

describe('loadBankProfiles', () => {
  let root: string;
  let builtinDir: string;
  let extraDir: string;
  let logger: jest.Mocked<BankProfileLoaderLogger>;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'obc-profiles-'));
    builtinDir = join(root, 'builtin');
    extraDir = join(root, 'extra');
    mkdirSync(builtinDir);
    mkdirSync(extraDir);
    logger = { log: jest.fn(), warn: jest.fn() };
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function write(dir: string, name: string, content: Record<string, unknown> | string): void {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }

  function load(patch: Partial<BankProfilesConfig> = {}) {
    return loadBankProfiles({ builtinDir, overrides: {}, ...patch }, logger);
  }

  function loadError(patch: Partial<BankProfilesConfig> = {}): BankProfileLoadError {
    try {
      load(patch);
    } catch (e) {
      if (e instanceof BankProfileLoadError) return e;
      throw e;
    }
    throw new Error('expected BankProfileLoadError');
  }

  it('loads every JSON and YAML profile of the built-in directory, sorted by id, ignoring other files', () => {
    write(builtinDir, 'zeta-bank.json', profileDocument('zeta-bank'));
    write(builtinDir, 'alpha-bank.yaml', JSON.stringify(profileDocument('alpha-bank'))); // JSON is YAML too
    write(builtinDir, 'README.md', '# not a profile');
    const profiles = load();
    expect(profiles.map((p) => p.id)).toEqual(['alpha-bank', 'zeta-bank']);
    expect(profiles[0].sourceFile).toContain('alpha-bank.yaml');
  });

  it('derives the well-known URL and consent types', () => {
    write(
      builtinDir,
      'test-bank.json',
      profileDocument('test-bank', { issuerUrl: 'https://auth.test-bank.example/' }),
    );
    const [profile] = load();
    expect(profile.wellKnownUrl).toBe(
      'https://auth.test-bank.example/.well-known/openid-configuration',
    );
    expect(profile.consentTypes).toEqual(['account-access', 'domestic-payment']);
    expect(profile.configured).toBe(true);
    expect(profile.missingConfiguration).toEqual([]);
  });

  it('adds profiles from the extra directory and lets one replace a built-in profile of the same id', () => {
    write(builtinDir, 'test-bank.json', profileDocument('test-bank'));
    write(builtinDir, 'kept-bank.json', profileDocument('kept-bank'));
    write(extraDir, 'test-bank.json', profileDocument('test-bank', { displayName: 'Replaced' }));
    write(extraDir, 'new-bank.yml', JSON.stringify(profileDocument('new-bank')));
    const profiles = load({ extraDir });
    expect(profiles.map((p) => [p.id, p.displayName])).toEqual([
      ['kept-bank', 'Test Bank'],
      ['new-bank', 'Test Bank'],
      ['test-bank', 'Replaced'],
    ]);
    expect(logger.log).toHaveBeenCalledWith(
      expect.stringMatching(
        /bank profile 'test-bank' from .*extra.*test-bank\.json replaces the built-in/,
      ),
    );
  });

  it('rejects the same id twice in one directory', () => {
    write(builtinDir, 'test-bank.json', profileDocument('test-bank'));
    write(builtinDir, 'test-bank.yaml', JSON.stringify(profileDocument('test-bank')));
    expect(loadError().message).toMatch(
      /test-bank\.yaml: \/id 'test-bank' is also defined by .*test-bank\.json in the same directory; keep one/,
    );
  });

  it('reports the problems of every file at once', () => {
    write(builtinDir, 'one-bank.json', profileDocument('one-bank', { environment: 'live' }));
    write(extraDir, 'two-bank.json', '{');
    const error = loadError({ extraDir });
    expect(error.problems).toHaveLength(2);
    expect(error.message).toMatch(
      /one-bank\.json: \/environment must be one of sandbox, production, mock \(got 'live'\)/,
    );
    expect(error.message).toMatch(/two-bank\.json: is not valid JSON/);
  });

  it('fails clearly when a configured directory does not exist', () => {
    expect(loadError({ extraDir: join(root, 'nope') }).message).toMatch(
      /BANK_PROFILES_EXTRA_DIR .*nope is not a readable directory; create it or fix the configured path/,
    );
  });

  it('applies configuration overrides', () => {
    write(builtinDir, 'test-bank.json', profileDocument('test-bank'));
    const [profile] = load({
      overrides: {
        'test-bank': {
          issuerUrl: 'https://localhost:9443',
          financialId: 'OVERRIDDEN',
          apis: { paymentInitiation: { baseUrl: 'https://localhost:9443/open-banking/v4.0/pisp' } },
          tls: { caBundleFile: '/etc/ca.pem' },
        },
      },
    });
    expect(profile.issuerUrl).toBe('https://localhost:9443');
    expect(profile.wellKnownUrl).toBe('https://localhost:9443/.well-known/openid-configuration');
    expect(profile.financialId).toBe('OVERRIDDEN');
    expect(profile.apis.paymentInitiation).toEqual({
      version: 'v4.0',
      baseUrl: 'https://localhost:9443/open-banking/v4.0/pisp',
    });
    expect(profile.apis.accountAndTransaction?.baseUrl).toBe(
      'https://rs.test-bank.example/open-banking/v4.0/aisp',
    );
    expect(profile.tls).toEqual({ caBundleFile: '/etc/ca.pem' });
  });

  it('configures a per-API financial id listed in requiredConfiguration (apis.<api>.financialId)', () => {
    write(builtinDir, 'test-bank.json', {
      ...profileDocument('test-bank'),
      requiredConfiguration: ['apis.paymentInitiation.financialId'],
    });
    const [unconfigured] = load();
    expect(unconfigured.configured).toBe(false);
    expect(unconfigured.missingConfiguration).toEqual(['apis.paymentInitiation.financialId']);
    const [profile] = load({
      overrides: { 'test-bank': { apis: { paymentInitiation: { financialId: '0015800000PIS' } } } },
    });
    expect(profile.configured).toBe(true);
    expect(profile.apis.paymentInitiation?.financialId).toBe('0015800000PIS');
    expect(apiFinancialId(profile, 'paymentInitiation')).toBe('0015800000PIS');
    expect(apiFinancialId(profile, 'accountAndTransaction')).toBe(profile.financialId);
  });

  it('overrides messageSigning member by member, checked by the schema', () => {
    write(builtinDir, 'test-bank.json', profileDocument('test-bank'));
    const [profile] = load({
      overrides: { 'test-bank': { messageSigning: { verifyResponseSignatures: true } } },
    });
    expect(profile.messageSigning).toEqual({
      verifyResponseSignatures: true,
      trustAnchor: 'openbanking.org.uk',
      b64Header: false,
    });
    expect(
      loadError({
        overrides: { 'test-bank': { messageSigning: { jwksUrl: 'not a url' } } },
      }).message,
    ).toMatch(
      /BANK_PROFILE_OVERRIDES\['test-bank'\] \(applied to test-bank\): \/messageSigning\/jwksUrl/,
    );
    expect(
      loadError({
        overrides: {
          'test-bank': { messageSigning: { sign: true } as Record<string, unknown> },
        },
      }).message,
    ).toMatch(
      /\/messageSigning may only hold \{ verifyResponseSignatures, jwksUrl, issuer, trustAnchor, b64Header \}/,
    );
  });

  it('keeps an explicit well-known URL override over the derived one', () => {
    write(builtinDir, 'test-bank.json', profileDocument('test-bank'));
    const [profile] = load({
      overrides: {
        'test-bank': { issuerUrl: 'https://a.example', wellKnownUrl: 'https://b.example/wk' },
      },
    });
    expect(profile.wellKnownUrl).toBe('https://b.example/wk');
  });

  it('rejects an override for an unknown profile id, listing the known ids', () => {
    write(builtinDir, 'test-bank.json', profileDocument('test-bank'));
    expect(
      loadError({ overrides: { 'tset-bank': { issuerUrl: 'https://a.example' } } }).message,
    ).toMatch(
      /BANK_PROFILE_OVERRIDES: override for unknown bank profile 'tset-bank' \(known: test-bank\); fix the id or add a profile file/,
    );
  });

  it('rejects an override of an API the profile does not declare, and an invalid overridden value', () => {
    write(builtinDir, 'test-bank.json', profileDocument('test-bank'));
    expect(
      loadError({
        overrides: {
          'test-bank': {
            apis: { variableRecurringPayments: { baseUrl: 'https://a.example/vrp' } },
          },
        },
      }).message,
    ).toMatch(
      /BANK_PROFILE_OVERRIDES\['test-bank'\]: \/apis\/variableRecurringPayments is not declared by the profile/,
    );
    expect(loadError({ overrides: { 'test-bank': { issuerUrl: 'not a url' } } }).message).toMatch(
      /BANK_PROFILE_OVERRIDES\['test-bank'\] \(applied to test-bank\): \/issuerUrl must match format "uri"/,
    );
  });

  describe('requiredConfiguration', () => {
    const unpublished = profileDocument('live-bank', {
      environment: 'production',
      issuerUrl: undefined,
      financialId: undefined,
      apis: { paymentInitiation: { version: 'v3.1.11' } },
      requiredConfiguration: ['issuerUrl', 'financialId', 'apis.paymentInitiation.baseUrl'],
    });

    it('loads a profile whose unpublished values are missing, marked not configured', () => {
      write(builtinDir, 'live-bank.json', unpublished);
      const [profile] = load();
      expect(profile.configured).toBe(false);
      expect(profile.missingConfiguration).toEqual([
        'issuerUrl',
        'financialId',
        'apis.paymentInitiation.baseUrl',
      ]);
      expect(profile.wellKnownUrl).toBeUndefined();
      // Not overridden: listed in one summary line, not a warning per profile.
      expect(logger.warn).not.toHaveBeenCalled();
      expect(logger.log).toHaveBeenCalledWith(
        expect.stringMatching(/^1 bank profile\(s\) wait for values .*: live-bank$/),
      );
    });

    it('warns about a profile the operator overrode but left incomplete', () => {
      write(builtinDir, 'live-bank.json', unpublished);
      load({ overrides: { 'live-bank': { issuerUrl: 'https://auth.live.example' } } });
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          "bank profile 'live-bank' is overridden but still not configured (missing financialId, apis.paymentInitiation.baseUrl)",
        ),
      );
    });

    it('lists only what overrides left missing', () => {
      write(builtinDir, 'live-bank.json', unpublished);
      const [profile] = load({
        overrides: { 'live-bank': { issuerUrl: 'https://auth.live.example' } },
      });
      expect(profile.configured).toBe(false);
      expect(profile.missingConfiguration).toEqual([
        'financialId',
        'apis.paymentInitiation.baseUrl',
      ]);
    });

    it('is configured once overrides supply every value', () => {
      write(builtinDir, 'live-bank.json', unpublished);
      const [profile] = load({
        overrides: {
          'live-bank': {
            issuerUrl: 'https://auth.live.example',
            financialId: '0015800000LIVE',
            apis: {
              paymentInitiation: { baseUrl: 'https://rs.live.example/open-banking/v3.1/pisp' },
            },
          },
        },
      });
      expect(profile.configured).toBe(true);
      expect(profile.missingConfiguration).toEqual([]);
      expect(profile.wellKnownUrl).toBe(
        'https://auth.live.example/.well-known/openid-configuration',
      );
    });

    it('rejects a required base URL of an API the profile does not declare', () => {
      write(builtinDir, 'live-bank.json', {
        ...unpublished,
        requiredConfiguration: [
          'issuerUrl',
          'financialId',
          'apis.paymentInitiation.baseUrl',
          'apis.accountAndTransaction.baseUrl',
        ],
      });
      expect(loadError().message).toMatch(
        /\/requiredConfiguration lists 'apis.accountAndTransaction.baseUrl' but \/apis\/accountAndTransaction is not declared/,
      );
    });
  });

  describe('registration.sharedWith', () => {
    const sharing = (id: string, sharedWith: string) =>
      profileDocument(id, { registration: { sharedWith } });

    it('loads a brand that shares the registration of a profile of its group', () => {
      write(builtinDir, 'group-bank.json', profileDocument('group-bank'));
      write(builtinDir, 'brand-bank.json', sharing('brand-bank', 'group-bank'));
      const brand = load().find((p) => p.id === 'brand-bank');
      expect(brand?.registration.sharedWith).toBe('group-bank');
    });

    it('refuses an unknown profile, a chain and the profile itself, naming file, field and fix', () => {
      write(builtinDir, 'group-bank.json', profileDocument('group-bank'));
      write(builtinDir, 'brand-bank.json', sharing('brand-bank', 'group-bank'));
      write(builtinDir, 'typo-bank.json', sharing('typo-bank', 'grup-bank'));
      write(builtinDir, 'chain-bank.json', sharing('chain-bank', 'brand-bank'));
      write(builtinDir, 'self-bank.json', sharing('self-bank', 'self-bank'));
      const problems = loadError().problems;
      expect(problems).toHaveLength(3);
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /typo-bank\.json: \/registration\/sharedWith names 'grup-bank', which is not a loaded profile; set it to the id/,
          ),
          expect.stringMatching(
            /chain-bank\.json: \/registration\/sharedWith names 'brand-bank', which itself shares the registration of 'group-bank' \(.*brand-bank\.json\); name 'group-bank' directly/,
          ),
          expect.stringMatching(
            /self-bank\.json: \/registration\/sharedWith names the profile itself/,
          ),
        ]),
      );
    });
  });

  it('loads the shipped profiles', () => {
    const profiles = loadBankProfiles(
      { builtinDir: join(__dirname, '../../../bank-profiles'), overrides: {} },
      logger,
    );
    expect(profiles.map((p) => p.id)).toEqual(
      expect.arrayContaining(['mock-bank', 'obie-model-bank-sandbox']),
    );
    const byId = new Map(profiles.map((p) => [p.id, p]));
    expect(byId.get('mock-bank')?.configured).toBe(true);
    expect(byId.get('obie-model-bank-sandbox')?.configured).toBe(true);
    // Banks that do not publish a value leave it to configuration: what is missing is exactly
    // what the profile says it needs, never a value it forgot.
    for (const profile of profiles) {
      expect(profile.requiredConfiguration).toEqual(
        expect.arrayContaining(profile.missingConfiguration),
      );
    }
  });
});
