import type { BankProfile } from '@obc/bank-profiles';
import type { ClientContext } from '@obc/token-management';

/**
 * What this lib needs from token-management and auth-contexts (docs/internals.md, "Consent
 * authorisation and account access"), as ports bound in PaymentInitiationModule so the services
 * stay testable with strict mocks.
 */
export const DOMESTIC_PAYMENT_CONSENT_TYPE = 'domestic-payment' as const;

export interface DomesticPaymentConsentRef {
  consentType: typeof DOMESTIC_PAYMENT_CONSENT_TYPE;
  consentId: string;
}

export function paymentConsentRef(consentId: string): DomesticPaymentConsentRef {
  return { consentType: DOMESTIC_PAYMENT_CONSENT_TYPE, consentId };
}

export const PAYMENT_CONSENT_TOKENS = Symbol('PAYMENT_CONSENT_TOKENS');

/** The subset of ConsentTokenService used here. */
export interface PaymentConsentTokens {
  getAccessToken(ref: DomesticPaymentConsentRef, client: ClientContext): Promise<string>;
  /** The bank refused this access token (401): retire it so the next use refreshes it. */
  invalidate(ref: DomesticPaymentConsentRef, rejectedAccessToken: string): Promise<void>;
}

export interface DomesticPaymentAuthorisationTarget {
  consentType: typeof DOMESTIC_PAYMENT_CONSENT_TYPE;
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

export const PAYMENT_AUTHORISATION_REGISTRY = Symbol('PAYMENT_AUTHORISATION_REGISTRY');

export interface PaymentAuthorisationRegistryPort {
  register(target: DomesticPaymentAuthorisationTarget): void;
}

export const PAYMENT_AUTH_CONTEXTS = Symbol('PAYMENT_AUTH_CONTEXTS');

export interface CreatePaymentAuthContextInput {
  consentType: typeof DOMESTIC_PAYMENT_CONSENT_TYPE;
  consentId: string;
  redirectUri?: string;
  appSessionId?: string;
  createdBy: string | null;
  reference: string | null;
}

export interface CreatedPaymentAuthContext {
  id: string;
  created: Date | string;
  createdBy: string | null;
  reference: string | null;
  authUrl: string;
  state: string;
  expiresAt: Date | string;
}

export interface PaymentAuthContextsPort {
  create(input: CreatePaymentAuthContextInput): Promise<CreatedPaymentAuthContext>;
}
