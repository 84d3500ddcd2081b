import { BankTransport } from '@obc/bank-http';
import type { ConsentType } from './consent-tokens/consent-ref';

export type TokenEndpointAuthMethod =
  'tls_client_auth' | 'private_key_jwt' | 'client_secret_basic' | 'client_secret_post';

/** Everything needed to authenticate one bank registration at the bank's token endpoint. */
export interface ClientContext {
  registrationId: string;
  profileId: string;
  clientId: string;
  authMethod: TokenEndpointAuthMethod;
  clientSecret?: string;
  tokenEndpoint: string;
  issuer: string;
  /** Audience of the client assertion when the bank wants something other than the token endpoint. */
  audience?: string;
  transport: BankTransport;
  trustedCaPem?: string;
  signingKey: { kid: string; privateKeyPem: string };
  financialId: string;
  /** The jwks_uri of the bank's OpenID configuration (the default for its response signatures). */
  bankJwksUri?: string;
  /**
   * Profile quirk tokenEndpoint.scopeInConsentGrants: per consent type, the `scope` its
   * authorization_code and refresh_token grants carry. Absent: those grants send no scope.
   */
  consentGrantScopes?: Partial<Record<ConsentType, string>>;
}
