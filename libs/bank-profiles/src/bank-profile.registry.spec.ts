import { DomainError } from '@obc/common';
import { BankProfileNotConfiguredError, UnknownBankProfileError } from './bank-profile.errors';
import { InMemoryBankProfileRegistry, assertConfigured } from './bank-profile.registry';
import { buildBankProfile } from './testing/bank-profile.builder';

describe('InMemoryBankProfileRegistry', () => {
  const registry = new InMemoryBankProfileRegistry([
    buildBankProfile({ id: 'zeta-bank' }),
    buildBankProfile({ id: 'alpha-bank' }),
  ]);

  it('gets, lists (sorted) and answers has()', () => {
    expect(registry.get('zeta-bank').id).toBe('zeta-bank');
    expect(registry.list().map((p) => p.id)).toEqual(['alpha-bank', 'zeta-bank']);
    expect(registry.has('alpha-bank')).toBe(true);
    expect(registry.has('beta-bank')).toBe(false);
  });

  it('fails an unknown id with bank-profile/unknown listing the known ids and how to add one', () => {
    let error: unknown;
    try {
      registry.get('beta-bank');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownBankProfileError);
    const domain = error as DomainError;
    expect(domain.code).toBe('bank-profile/unknown');
    expect(domain.kind).toBe('validation');
    expect(domain.detail).toContain("No bank profile with id 'beta-bank'");
    expect(domain.detail).toContain('Known profiles: alpha-bank, zeta-bank');
    expect(domain.detail).toContain(
      'add a profile file to bank-profiles/ or BANK_PROFILES_EXTRA_DIR',
    );
    expect(domain.extensions).toEqual({ knownProfiles: ['alpha-bank', 'zeta-bank'] });
  });

  it('hands out profiles nobody can change', () => {
    const profile = registry.get('alpha-bank');
    expect(() => {
      (profile as { displayName: string }).displayName = 'x';
    }).toThrow(TypeError);
    expect(() => {
      (profile.registration as { mode: string }).mode = 'manual';
    }).toThrow(TypeError);
  });
});

describe('assertConfigured', () => {
  it('passes a configured profile', () => {
    expect(() => assertConfigured(buildBankProfile())).not.toThrow();
  });

  it('fails an unconfigured one with bank-profile/not-configured naming the overrides to set', () => {
    const profile = buildBankProfile({
      id: 'live-bank',
      issuerUrl: undefined,
      apis: { paymentInitiation: { version: 'v4.0' } },
      requiredConfiguration: ['issuerUrl', 'apis.paymentInitiation.baseUrl'],
    });
    expect(profile.configured).toBe(false);
    let error: unknown;
    try {
      assertConfigured(profile);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BankProfileNotConfiguredError);
    const domain = error as DomainError;
    expect(domain.code).toBe('bank-profile/not-configured');
    expect(domain.detail).toContain(
      "Bank profile 'live-bank' cannot be used until these values are configured: issuerUrl, apis.paymentInitiation.baseUrl",
    );
    expect(domain.detail).toContain(
      `BANK_PROFILE_OVERRIDES='{"live-bank":{"issuerUrl":"...","apis":{"paymentInitiation":{"baseUrl":"..."}}}}'`,
    );
  });
});
