import {
  STANDARD_REGISTRATION,
  type RegistrationBehaviour,
  type TokenEndpointAuthMethod,
} from '@obc/bank-profiles';
import { formatSubjectDn } from '../certificates/certificate-inspector';

/** Lifetime of the registration request JWT. */
export const DCR_JWT_LIFETIME_SECONDS = 300;

export interface DcrClaimsInput {
  registration: Pick<RegistrationBehaviour, 'audience' | 'scopeFormat' | 'subjectDnFormat'> &
    Partial<Pick<RegistrationBehaviour, 'grantTypes' | 'subjectType'>>;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** Profile `quirks.authorisation.responseType`: the response type the client will use. */
  responseType?: 'code id_token' | 'code';
  financialId: string;
  issuer: string;
  softwareId: string;
  softwareStatement: string;
  /** The OBWAC certificate: its subject is the registered tls_client_auth_subject_dn. */
  transportCertificatePem: string;
  redirectUris: string[];
  scopes: string[];
  jti: string;
  nowSeconds: number;
}

/**
 * The claims of a UK OB DCR (v3.2/v3.3) registration request, OBClientRegistration1, shaped by
 * the profile's registration behaviour: audience (financial id or issuer), scope as one string
 * or an array, and how organizationIdentifier is written in the subject DN.
 */
export function buildDcrClaims(input: DcrClaimsInput): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    iss: input.softwareId,
    iat: input.nowSeconds,
    exp: input.nowSeconds + DCR_JWT_LIFETIME_SECONDS,
    aud: input.registration.audience === 'issuer' ? input.issuer : input.financialId,
    jti: input.jti,
    redirect_uris: input.redirectUris,
    token_endpoint_auth_method: input.tokenEndpointAuthMethod,
    grant_types: [...(input.registration.grantTypes ?? STANDARD_REGISTRATION.grantTypes)],
    response_types: [input.responseType ?? 'code id_token'],
    software_id: input.softwareId,
    scope: input.registration.scopeFormat === 'array' ? [...input.scopes] : input.scopes.join(' '),
    software_statement: input.softwareStatement,
    application_type: 'web',
    id_token_signed_response_alg: 'PS256',
    request_object_signing_alg: 'PS256',
    tls_client_auth_subject_dn: formatSubjectDn(
      input.transportCertificatePem,
      input.registration.subjectDnFormat,
    ),
  };
  if (input.registration.subjectType) claims.subject_type = input.registration.subjectType;
  if (input.tokenEndpointAuthMethod === 'private_key_jwt')
    claims.token_endpoint_auth_signing_alg = 'PS256';
  return claims;
}
