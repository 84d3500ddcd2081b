import { BankTransport } from '@obc/bank-http';

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
}
