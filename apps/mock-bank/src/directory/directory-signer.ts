import { createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { SoftwareStatementEnrolment } from './software-statement-enrolment';

export const SSA_ISSUER = 'OpenBanking Ltd';

/** Where the directory's endpoints live, derived from the bank's issuer (one server hosts both). */
export class DirectoryUrls {
  constructor(private readonly issuer: string) {}

  get base(): string {
    return `${this.issuer}/directory`;
  }
  get jwks(): string {
    return `${this.base}/jwks`;
  }
  get token(): string {
    return `${this.base}/token`;
  }
  softwareJwks(organisationId: string, softwareId: string): string {
    return `${this.base}/organisation/${organisationId}/software-statement/${softwareId}/jwks`;
  }
  /** The inverse of `softwareJwks`, or undefined when the URL is not this directory's. */
  parseSoftwareJwks(url: string): { organisationId: string; softwareId: string } | undefined {
    const prefix = `${this.base}/organisation/`;
    if (!url.startsWith(prefix)) return undefined;
    const m = /^([0-9a-zA-Z]+)\/software-statement\/([0-9a-zA-Z]+)\/jwks$/.exec(
      url.slice(prefix.length),
    );
    return m ? { organisationId: m[1], softwareId: m[2] } : undefined;
  }
}

/** Signs software statement assertions (SSAs) the way the OB directory does: PS256 with a kid. */
export class DirectorySigner {
  private readonly privateKey: KeyObject;

  constructor(
    privateKeyPem: string,
    readonly kid: string,
    private readonly urls: DirectoryUrls,
  ) {
    this.privateKey = createPrivateKey(privateKeyPem);
  }

  publicJwks(): { keys: JWK[] } {
    const jwk = createPublicKey(this.privateKey).export({ format: 'jwk' });
    return {
      keys: [{ kty: jwk.kty, n: jwk.n, e: jwk.e, kid: this.kid, use: 'sig', alg: 'PS256' }],
    };
  }

  /** Claims follow the OB directory's SSA format (v3.x). */
  async issueSsa(e: SoftwareStatementEnrolment): Promise<string> {
    return new SignJWT({
      software_environment: 'sandbox',
      software_mode: 'Test',
      software_id: e.softwareId,
      software_client_id: e.softwareId,
      software_client_name: e.softwareClientName,
      software_client_description: e.softwareClientName,
      software_version: '1.0',
      software_client_uri: e.redirectUris[0] ? new URL(e.redirectUris[0]).origin : undefined,
      software_redirect_uris: e.redirectUris,
      software_roles: e.roles,
      organisation_competent_authority_claims: {
        authority_id: 'FCAGBR',
        registration_id: e.organisationId,
        status: 'Active',
        authorisations: [{ member_state: 'GB', roles: e.roles }],
      },
      software_jwks_endpoint: this.urls.softwareJwks(e.organisationId, e.softwareId),
      software_jwks_revoked_endpoint: `${this.urls.softwareJwks(e.organisationId, e.softwareId)}/revoked`,
      software_on_behalf_of_org: null,
      org_status: 'Active',
      org_id: e.organisationId,
      org_name: e.organisationName,
      org_contacts: [],
      org_jwks_endpoint: `${this.urls.base}/organisation/${e.organisationId}/jwks`,
      org_jwks_revoked_endpoint: `${this.urls.base}/organisation/${e.organisationId}/jwks/revoked`,
    })
      .setProtectedHeader({ alg: 'PS256', kid: this.kid, typ: 'JWT' })
      .setIssuer(SSA_ISSUER)
      .setIssuedAt()
      .setJti(randomUUID())
      .sign(this.privateKey);
  }

  /** Verifies an SSA signed by this directory; throws (jose errors) when it is not. */
  async verifySsa(ssa: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(ssa, createPublicKey(this.privateKey), {
      algorithms: ['PS256'],
      issuer: SSA_ISSUER,
    });
    return payload;
  }
}
