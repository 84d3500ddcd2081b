import { randomBytes } from 'node:crypto';
import { Provider, type KoaContextWithOIDC } from 'oidc-provider';
import type { Ledger } from '../admin/ledger';
import { peerCertificate } from '../tls/client-certificate';
import { subjectDnMatches } from '../tls/subject-dn';
import type { PrivateJwk } from './bank-signing-key';
import { createMemoryAdapter } from './memory-adapter';

export const SUPPORTED_AUTH_METHODS = [
  'tls_client_auth',
  'private_key_jwt',
  'client_secret_basic',
  'client_secret_post',
] as const;
export const SUPPORTED_SCOPES = [
  'openid',
  'offline_access',
  'accounts',
  'payments',
  'fundsconfirmations',
];

export interface ProviderOptions {
  issuer: string;
  signingJwk: PrivateJwk;
  ledger: Ledger;
}

function tlsAuthorized(ctx: KoaContextWithOIDC): boolean {
  return (ctx.socket as { authorized?: boolean }).authorized === true;
}

/**
 * oidc-provider configured as a UK OB ASPSP authorisation server: FAPI 1.0 Final, mTLS
 * (tls_client_auth and certificate-bound tokens), private_key_jwt, PS256 everywhere. Client
 * registration is not oidc-provider's (UK DCR takes a signed JWT body), so discovery advertises
 * the bank's own /register handler.
 */
export function createProvider({ issuer, signingJwk, ledger }: ProviderOptions): Provider {
  const provider = new Provider(issuer, {
    adapter: createMemoryAdapter(),
    jwks: { keys: [signingJwk] },
    clients: [],
    scopes: SUPPORTED_SCOPES,
    claims: { openid: ['sub'], accounts: [], payments: [], fundsconfirmations: [] },
    clientAuthMethods: [...SUPPORTED_AUTH_METHODS],
    enabledJWA: {
      clientAuthSigningAlgValues: ['PS256'],
      idTokenSigningAlgValues: ['PS256'],
      requestObjectSigningAlgValues: ['PS256'],
      authorizationSigningAlgValues: ['PS256'],
    },
    responseTypes: ['code id_token', 'code'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      id_token_signed_response_alg: 'PS256',
      response_types: ['code id_token'],
      token_endpoint_auth_method: 'private_key_jwt',
    },
    extraClientMetadata: { properties: ['software_id', 'software_statement', 'software_roles'] },
    features: {
      devInteractions: { enabled: false },
      fapi: { enabled: true, profile: '1.0 Final' },
      clientCredentials: { enabled: true },
      introspection: { enabled: false },
      revocation: { enabled: true },
      requestObjects: { enabled: true, requireSignedRequestObject: false },
      mTLS: {
        enabled: true,
        certificateBoundAccessTokens: true,
        tlsClientAuth: true,
        selfSignedTlsClientAuth: false,
        getCertificate: (ctx: KoaContextWithOIDC) => peerCertificate(ctx.req),
        certificateAuthorized: tlsAuthorized,
        certificateSubjectMatches: (
          ctx: KoaContextWithOIDC,
          property: string,
          expected: string,
        ) => {
          const cert = peerCertificate(ctx.req);
          return (
            property === 'tls_client_auth_subject_dn' &&
            cert !== undefined &&
            subjectDnMatches(expected, cert)
          );
        },
      },
    },
    discovery: { registration_endpoint: `${issuer}/register` },
    interactions: {
      url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) =>
        `/interaction/${interaction.uid}`,
    },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    findAccount: async (_ctx: KoaContextWithOIDC, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub }),
    }),
    // FAPI access tokens are short-lived; the connector's token cache is tested against this.
    ttl: { ClientCredentials: 600, AccessToken: 600 },
  });

  provider.on('grant.success', (ctx) => {
    const grantType = ctx.oidc?.params?.grant_type;
    ledger.record({
      type: 'token.granted',
      clientId: ctx.oidc?.client?.clientId,
      grantType: typeof grantType === 'string' ? grantType : 'unknown',
    });
    const body = (ctx.body ?? {}) as Record<string, unknown>;
    for (const kind of ['access_token', 'refresh_token', 'id_token'])
      ledger.recordIssued(kind, body[kind]);
  });
  return provider;
}
