import type { BankProfile } from '@obc/bank-profiles';
import type { ClientContext } from '@obc/token-management';

/**
 * What this lib needs from token-management and auth-contexts, as the contracts in
 * docs/internals.md ("Consent authorisation and account access") pin them. Services depend on
 * these ports (Symbol tokens); AccountAccessModule binds them to the real providers, so the
 * services stay testable with strict mocks and the libs meet in one place.
 */
export const ACCOUNT_ACCESS_CONSENT_TYPE = 'account-access' as const;

export interface AccountAccessConsentRef {
  consentType: typeof ACCOUNT_ACCESS_CONSENT_TYPE;
  consentId: string;
}

export const CONSENT_TOKENS = Symbol('ACCOUNT_ACCESS_CONSENT_TOKENS');

/** The subset of ConsentTokenService used here. */
export interface ConsentTokens {
  getAccessToken(ref: AccountAccessConsentRef, client: ClientContext): Promise<string>;
  has(ref: AccountAccessConsentRef): Promise<boolean>;
  revoke(ref: AccountAccessConsentRef): Promise<void>;
  /** The bank refused this access token before its expiry: retire it (and only it). */
  invalidate(ref: AccountAccessConsentRef, rejectedAccessToken: string): Promise<void>;
}

/** What auth-contexts needs to authorise a consent (ConsentAuthorisationTarget). */
export interface AccountAccessAuthorisationTarget {
  consentType: typeof ACCOUNT_ACCESS_CONSENT_TYPE;
  describe(consentId: string): Promise<{
    client: ClientContext;
    profile: BankProfile;
    intentId: string;
    redirectUris: string[];
    defaultRedirectUri: string;
    status: string;
  }>;
  onAuthorised(consentId: string): Promise<void>;
}

export const CONSENT_AUTHORISATION_REGISTRY = Symbol('ACCOUNT_ACCESS_AUTHORISATION_REGISTRY');

export interface ConsentAuthorisationRegistryPort {
  register(target: AccountAccessAuthorisationTarget): void;
}

export const AUTH_CONTEXTS = Symbol('ACCOUNT_ACCESS_AUTH_CONTEXTS');

export interface CreateAuthContextInput {
  consentType: typeof ACCOUNT_ACCESS_CONSENT_TYPE;
  consentId: string;
  redirectUri?: string;
  appSessionId?: string;
  createdBy: string | null;
  reference: string | null;
}

export interface CreatedAuthContext {
  id: string;
  created: Date | string;
  createdBy: string | null;
  reference: string | null;
  authUrl: string;
  state: string;
  expiresAt: Date | string;
}

export interface AuthContextsPort {
  create(input: CreateAuthContextInput): Promise<CreatedAuthContext>;
}

/** Waiting is a side effect too (profile.quirks.postCreateConsentDelayMs). */
export { Sleeper, TimerSleeper } from '@obc/common';
