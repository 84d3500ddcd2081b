import { BankProfileNotConfiguredError, UnknownBankProfileError } from './bank-profile.errors';
import type { BankProfile, ConfiguredBankProfile } from './bank-profile.types';

/** Injection token of the registry (STYLE 2: registries behind Symbol tokens). */
export const BANK_PROFILE_REGISTRY = Symbol('BANK_PROFILE_REGISTRY');

export interface BankProfileRegistry {
  /** The profile, or UnknownBankProfileError (bank-profile/unknown) listing the known ids. */
  get(id: string): BankProfile;
  /** Every loaded profile, sorted by id. */
  list(): BankProfile[];
  has(id: string): boolean;
}

/** Profiles are shared by every request: nobody may change one in passing. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The registry over profiles loaded once at start-up; immutable afterwards. */
export class InMemoryBankProfileRegistry implements BankProfileRegistry {
  private readonly byId: ReadonlyMap<string, BankProfile>;

  constructor(profiles: readonly BankProfile[]) {
    this.byId = new Map(
      [...profiles]
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((p) => [p.id, deepFreeze(structuredClone(p))] as const),
    );
  }

  get(id: string): BankProfile {
    const profile = this.byId.get(id);
    if (!profile) throw new UnknownBankProfileError(id, this.ids());
    return profile;
  }

  list(): BankProfile[] {
    return [...this.byId.values()];
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }
}

/** Call before any bank call: fails with bank-profile/not-configured naming the overrides to set. */
export function assertConfigured(profile: BankProfile): asserts profile is ConfiguredBankProfile {
  if (!profile.configured || !profile.issuerUrl || !profile.wellKnownUrl || !profile.financialId) {
    throw new BankProfileNotConfiguredError(profile);
  }
}
