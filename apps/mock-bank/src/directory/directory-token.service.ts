import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { DirectoryStore } from './directory-store';
import type { SoftwareStatementEnrolment } from './software-statement-enrolment';

const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const TOKEN_TTL_SECONDS = 300;

export class DirectoryTokenError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type',
    description: string,
  ) {
    super(description);
  }
}

interface IssuedToken {
  organisationId: string;
  softwareId: string;
  expiresAt: number;
}

/**
 * The directory's own token endpoint: client_credentials with private_key_jwt (PS256) signed by
 * the software statement's signing key, as the OB directory requires before an SSA download.
 */
export class DirectoryTokenService {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly store: DirectoryStore,
    private readonly tokenUrl: string,
  ) {}

  async issue(
    form: Record<string, unknown>,
  ): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number; scope: string }> {
    if (form.grant_type !== 'client_credentials')
      throw new DirectoryTokenError(
        'unsupported_grant_type',
        'grant_type must be client_credentials',
      );
    if (
      form.client_assertion_type !== CLIENT_ASSERTION_TYPE ||
      typeof form.client_assertion !== 'string'
    ) {
      throw new DirectoryTokenError(
        'invalid_client',
        `private_key_jwt required (client_assertion_type ${CLIENT_ASSERTION_TYPE})`,
      );
    }
    const enrolment = this.enrolmentFor(form.client_assertion);
    try {
      await jwtVerify(form.client_assertion, createLocalJWKSet(enrolment.signingJwks), {
        algorithms: ['PS256'],
        issuer: enrolment.softwareId,
        subject: enrolment.softwareId,
        audience: this.tokenUrl,
        requiredClaims: ['exp', 'iat', 'jti'],
      });
    } catch (err) {
      throw new DirectoryTokenError(
        'invalid_client',
        `client_assertion rejected: ${(err as Error).message}`,
      );
    }
    if (typeof form.client_id === 'string' && form.client_id !== enrolment.softwareId) {
      throw new DirectoryTokenError(
        'invalid_client',
        'client_id does not match the client_assertion issuer',
      );
    }
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, {
      organisationId: enrolment.organisationId,
      softwareId: enrolment.softwareId,
      expiresAt: Date.now() + TOKEN_TTL_SECONDS * 1000,
    });
    const scope =
      typeof form.scope === 'string' && form.scope
        ? form.scope
        : 'ASPSPReadAccess TPPReadAccess AuthoritiesReadAccess';
    return { access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS, scope };
  }

  /** Whether `token` is a live token issued to that software statement. */
  authorises(token: string | undefined, organisationId: string, softwareId: string): boolean {
    const issued = token ? this.tokens.get(token) : undefined;
    if (!issued || issued.expiresAt < Date.now()) return false;
    return issued.organisationId === organisationId && issued.softwareId === softwareId;
  }

  private enrolmentFor(assertion: string): SoftwareStatementEnrolment {
    let iss: unknown;
    try {
      iss = decodeJwt(assertion).iss;
    } catch {
      throw new DirectoryTokenError('invalid_client', 'client_assertion is not a JWT');
    }
    const enrolment = typeof iss === 'string' ? this.store.findBySoftwareId(iss) : undefined;
    if (!enrolment)
      throw new DirectoryTokenError(
        'invalid_client',
        'client_assertion iss is not an enrolled software statement',
      );
    return enrolment;
  }
}
