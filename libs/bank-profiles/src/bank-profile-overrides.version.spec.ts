import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BankProfileLoadError } from './bank-profile-load.error';
import { loadBankProfiles } from './bank-profile-loader';
import type { ProfileOverride } from './bank-profiles.config';
import { profileDocument } from './testing/bank-profile.builder';

describe('BANK_PROFILE_OVERRIDES: an API version', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'obc-profile-version-'));
    writeFileSync(join(dir, 'test-bank.json'), JSON.stringify(profileDocument('test-bank')));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const load = (override: ProfileOverride) =>
    loadBankProfiles(
      { builtinDir: dir, overrides: { 'test-bank': override } },
      { log: jest.fn(), warn: jest.fn() },
    );

  it('moves an API to v3.1.11 together with its base URL', () => {
    const [profile] = load({
      apis: {
        accountAndTransaction: {
          version: 'v3.1.11',
          baseUrl: 'https://localhost:9443/open-banking/v3.1/aisp',
        },
      },
    });
    expect(profile.apis.accountAndTransaction).toEqual({
      version: 'v3.1.11',
      baseUrl: 'https://localhost:9443/open-banking/v3.1/aisp',
    });
    expect(profile.apis.paymentInitiation?.version).toBe('v4.0');
  });

  it('refuses a version the schema does not know, naming the override', () => {
    let error: unknown;
    try {
      load({ apis: { accountAndTransaction: { version: 'v3.1.10' } } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BankProfileLoadError);
    expect((error as Error).message).toMatch(
      /BANK_PROFILE_OVERRIDES\['test-bank'\] \(applied to test-bank\): \/apis\/accountAndTransaction\/version/,
    );
  });
});
