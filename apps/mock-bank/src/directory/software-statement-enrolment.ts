import type { JWK } from 'jose';

export interface PublicJwks {
  keys: JWK[];
}

/** A TPP software statement known to the mock OB directory. */
export interface SoftwareStatementEnrolment {
  organisationId: string;
  organisationName: string;
  softwareId: string;
  softwareClientName: string;
  redirectUris: string[];
  roles: string[];
  signingJwks: PublicJwks;
  transportSubjectDn?: string;
}

export class EnrolmentValidationError extends Error {}

const ORG_ID = /^[0-9a-zA-Z]{1,18}$/;
const SOFTWARE_ID = /^[0-9a-zA-Z]{1,22}$/;
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

/** Checks an admin enrolment body field by field (the body is never stored as given). */
export function parseEnrolment(body: unknown): SoftwareStatementEnrolment {
  if (typeof body !== 'object' || body === null)
    throw new EnrolmentValidationError('body must be a JSON object');
  const b = body as Record<string, unknown>;
  const str = (key: string, pattern?: RegExp): string => {
    const v = b[key];
    if (typeof v !== 'string' || v.length === 0 || (pattern && !pattern.test(v))) {
      throw new EnrolmentValidationError(
        `${key} must be a string${pattern ? ` matching ${pattern}` : ''}`,
      );
    }
    return v;
  };
  const strings = (key: string, fallback?: string[]): string[] => {
    const v = b[key] ?? fallback;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
      throw new EnrolmentValidationError(`${key} must be an array of strings`);
    return [...v] as string[];
  };
  const organisationId = str('organisationId', ORG_ID);
  const softwareId = str('softwareId', SOFTWARE_ID);
  const redirectUris = strings('redirectUris');
  for (const uri of redirectUris) {
    if (!URL.canParse(uri))
      throw new EnrolmentValidationError(`redirectUris: "${uri}" is not a URL`);
  }
  const jwks = b.signingJwks as { keys?: unknown } | undefined;
  if (!jwks || !Array.isArray(jwks.keys) || jwks.keys.length === 0) {
    throw new EnrolmentValidationError('signingJwks must be a JWKS with at least one key');
  }
  const keys = jwks.keys.map((k, i) => {
    if (
      typeof k !== 'object' ||
      k === null ||
      typeof (k as JWK).kty !== 'string' ||
      typeof (k as JWK).kid !== 'string'
    ) {
      throw new EnrolmentValidationError(`signingJwks.keys[${i}] must be a JWK with kty and kid`);
    }
    if (PRIVATE_JWK_MEMBERS.some((m) => m in k))
      throw new EnrolmentValidationError(`signingJwks.keys[${i}] must be a public key`);
    return { ...(k as JWK) };
  });
  const transportSubjectDn =
    b.transportSubjectDn === undefined ? undefined : str('transportSubjectDn');
  return {
    organisationId,
    organisationName:
      typeof b.organisationName === 'string'
        ? b.organisationName
        : `Organisation ${organisationId}`,
    softwareId,
    softwareClientName:
      typeof b.softwareClientName === 'string' ? b.softwareClientName : `Software ${softwareId}`,
    redirectUris,
    roles: strings('roles', ['AISP', 'PISP', 'CBPII']),
    signingJwks: { keys },
    transportSubjectDn,
  };
}
