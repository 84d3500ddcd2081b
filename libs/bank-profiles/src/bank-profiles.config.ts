import type { BankApiKind, MessageSigning } from './bank-profile.types';

/**
 * The slice of `ConnectorConfig` this lib reads (`config.bankProfiles`). Declared locally so the
 * lib builds while `@obc/config` is written; `ConnectorConfig['bankProfiles']` must stay
 * assignable to it.
 */
export interface ProfileOverride {
  issuerUrl?: string;
  wellKnownUrl?: string;
  financialId?: string;
  apis?: Partial<Record<BankApiKind, { baseUrl?: string; version?: string; financialId?: string }>>;
  tls?: { caBundleFile?: string };
  messageSigning?: Partial<MessageSigning>;
  /** Members laid over the profile's discovery.metadataOverrides (one by one). */
  discovery?: { metadataOverrides?: Record<string, unknown> };
}

export interface BankProfilesConfig {
  /** Directory of the built-in profiles (bank-profiles/ in the repository). */
  builtinDir: string;
  /** Operator's directory (BANK_PROFILES_EXTRA_DIR): adds profiles, replaces built-ins by id. */
  extraDir?: string;
  /** Per profile id (BANK_PROFILE_OVERRIDES or the config file). */
  overrides: Record<string, ProfileOverride>;
}

/** Injection token for the bank-profiles configuration slice. */
export const BANK_PROFILES_CONFIG = Symbol('BANK_PROFILES_CONFIG');
