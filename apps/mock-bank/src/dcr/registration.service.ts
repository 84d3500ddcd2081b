import { randomBytes, randomUUID, type X509Certificate } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { ClientMetadata, Provider } from 'oidc-provider';
import type { Ledger } from '../admin/ledger';
import type { DirectorySigner, DirectoryUrls } from '../directory/directory-signer';
import type { DirectoryStore } from '../directory/directory-store';
import { SUPPORTED_AUTH_METHODS, SUPPORTED_SCOPES } from '../oidc/create-provider';
import { subjectDnMatches } from '../tls/subject-dn';
import { RegistrationError } from './registration.error';
import type { RegistrationClaimsValidator } from './registration-schema';
import { STANDARD_MOCK_BANK_QUIRKS, type MockBankQuirks } from '../quirks/mock-bank-quirks';

const CLOCK_SKEW_SECONDS = 60;
const SUPPORTED_GRANT_TYPES = ['client_credentials', 'authorization_code', 'refresh_token'];
const SECRET_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];

export interface RegistrationDeps {
  provider: Provider;
  validateClaims: RegistrationClaimsValidator;
  signer: DirectorySigner;
  urls: DirectoryUrls;
  store: DirectoryStore;
  ledger: Ledger;
  issuer: string;
  financialId: string;
  /** Quirk mode (registration part); the standard when absent. */
  quirks?: MockBankQuirks['registration'];
  /**
   * Scopes of the bank's own beyond the standard ones (quirk authorisation.front.requiredScopes,
   * e.g. the Co-operative Bank's 'offline'), granted to the clients made in its portal.
   */
  extraScopes?: string[];
}

/** The JSON a registration answers with (OB registration response). */
export type RegistrationResponse = Record<string, unknown> & { client_id: string };

// Metadata kept in oidc-provider but not part of the OB registration response.
const INTERNAL_METADATA = ['jwks', 'tls_client_certificate_bound_access_tokens', 'software_roles'];

/** UK DCR (v3.3): validates a signed registration request and creates the client in oidc-provider. */
export class RegistrationService {
  private readonly quirks: MockBankQuirks['registration'];
  /** software_id -> its live client (quirk oneClientPerSoftware). */
  private readonly clientOfSoftware = new Map<string, string>();

  constructor(private readonly deps: RegistrationDeps) {
    this.quirks = deps.quirks ?? STANDARD_MOCK_BANK_QUIRKS.registration;
  }

  /** The registration quirks in force (the router needs the content type and endpoint support). */
  get registrationQuirks(): MockBankQuirks['registration'] {
    return this.quirks;
  }

  /**
   * A client created by hand in the bank's developer portal (registration.mode 'manual'): the
   * TPP names its enrolled software statement, redirect URIs and auth method; no JWT, no DCR.
   */
  async registerInPortal(input: {
    organisationId: string;
    softwareId: string;
    redirectUris: string[];
    tokenEndpointAuthMethod: string;
    tlsClientAuthSubjectDn?: string;
    scope?: string;
  }): Promise<RegistrationResponse> {
    const enrolment = this.deps.store.get(input.organisationId, input.softwareId);
    if (!enrolment)
      throw new RegistrationError(
        'unapproved_software_statement',
        'no software statement enrolled for that organisationId and softwareId',
      );
    const authMethod = input.tokenEndpointAuthMethod;
    if (!(SUPPORTED_AUTH_METHODS as readonly string[]).includes(authMethod))
      throw new RegistrationError(
        'invalid_client_metadata',
        `token_endpoint_auth_method ${authMethod} is not supported`,
      );
    const clientId = randomUUID();
    const secret = SECRET_AUTH_METHODS.includes(authMethod)
      ? { client_secret: randomBytes(24).toString('base64url'), client_secret_expires_at: 0 }
      : {};
    const client: ClientMetadata = {
      client_id: clientId,
      client_id_issued_at: Math.floor(Date.now() / 1000),
      redirect_uris: input.redirectUris,
      token_endpoint_auth_method: authMethod,
      ...(authMethod === 'private_key_jwt' ? { token_endpoint_auth_signing_alg: 'PS256' } : {}),
      ...(input.tlsClientAuthSubjectDn
        ? { tls_client_auth_subject_dn: input.tlsClientAuthSubjectDn }
        : {}),
      grant_types: SUPPORTED_GRANT_TYPES,
      response_types: ['code id_token', 'code'],
      scope:
        input.scope ??
        ['openid accounts payments fundsconfirmations', ...(this.deps.extraScopes ?? [])].join(' '),
      application_type: 'web',
      id_token_signed_response_alg: 'PS256',
      request_object_signing_alg: 'PS256',
      tls_client_certificate_bound_access_tokens: true,
      software_id: input.softwareId,
      // What the TPP uploaded in the portal: its software statement, for the JWS checks.
      software_statement: await this.deps.signer.issueSsa(enrolment),
      jwks: { keys: enrolment.signingJwks.keys.map(publicMembers) },
      ...secret,
    };
    await this.save(client);
    this.deps.ledger.record({
      type: 'registration.created',
      clientId,
      softwareId: input.softwareId,
    });
    this.deps.ledger.recordIssued('client_secret', client.client_secret);
    return this.toResponse(client);
  }

  async register(jwt: string, cert: X509Certificate): Promise<RegistrationResponse> {
    const metadata = await this.validatedMetadata(jwt, cert);
    await this.assertFirstClientOf(String(metadata.software_id));
    const clientId = randomUUID();
    const secret = SECRET_AUTH_METHODS.includes(String(metadata.token_endpoint_auth_method))
      ? { client_secret: randomBytes(24).toString('base64url'), client_secret_expires_at: 0 }
      : {};
    const client: ClientMetadata = {
      ...metadata,
      ...secret,
      client_id: clientId,
      client_id_issued_at: Math.floor(Date.now() / 1000),
    };
    await this.save(client);
    this.clientOfSoftware.set(String(client.software_id), clientId);
    this.deps.ledger.record({
      type: 'registration.created',
      clientId,
      softwareId: String(client.software_id),
    });
    this.deps.ledger.recordIssued('client_secret', client.client_secret);
    return this.toResponse(client);
  }

  async update(
    clientId: string,
    jwt: string,
    cert: X509Certificate,
  ): Promise<RegistrationResponse> {
    const existing = await this.find(clientId);
    const metadata = await this.validatedMetadata(jwt, cert);
    if (metadata.software_id !== existing.software_id) {
      throw new RegistrationError(
        'invalid_software_statement',
        'the software statement is for another software id than this client',
      );
    }
    const keepSecret =
      SECRET_AUTH_METHODS.includes(String(metadata.token_endpoint_auth_method)) &&
      existing.client_secret
        ? { client_secret: existing.client_secret, client_secret_expires_at: 0 }
        : {};
    const client: ClientMetadata = {
      ...metadata,
      ...keepSecret,
      client_id: clientId,
      client_id_issued_at: existing.client_id_issued_at,
    };
    await this.save(client);
    this.deps.ledger.record({ type: 'registration.updated', clientId });
    return this.toResponse(client);
  }

  async read(clientId: string): Promise<RegistrationResponse> {
    const client = await this.find(clientId);
    this.deps.ledger.record({ type: 'registration.read', clientId });
    return this.toResponse(client);
  }

  async delete(clientId: string): Promise<void> {
    const client = await this.find(clientId);
    if (this.clientOfSoftware.get(String(client.software_id)) === clientId)
      this.clientOfSoftware.delete(String(client.software_id));
    await this.deps.provider.Client.adapter.destroy(clientId);
    this.deps.ledger.record({ type: 'registration.deleted', clientId });
  }

  private toResponse(client: ClientMetadata): RegistrationResponse {
    return toResponse(client, this.quirks.clientIdIssuedAtUnit);
  }

  private async find(clientId: string): Promise<ClientMetadata> {
    const found = await this.deps.provider.Client.adapter.find(clientId);
    if (!found) throw new RegistrationError('invalid_client_metadata', 'unknown client');
    return found as ClientMetadata;
  }

  /** Quirk: a bank group that knows one client per software statement across its brands. */
  private async assertFirstClientOf(softwareId: string): Promise<void> {
    if (!this.quirks.oneClientPerSoftware) return;
    const existing = this.clientOfSoftware.get(softwareId);
    if (existing && (await this.deps.provider.Client.adapter.find(existing)))
      throw new RegistrationError(
        'invalid_software_statement',
        `software ${softwareId} already has client ${existing} at this bank group, shared by all its brands: use that client or delete it first`,
      );
  }

  private async save(client: ClientMetadata): Promise<void> {
    try {
      await this.deps.provider.Client.validate(client);
    } catch (err) {
      const description =
        (err as { error_description?: string }).error_description ?? (err as Error).message;
      throw new RegistrationError('invalid_client_metadata', description);
    }
    await this.deps.provider.Client.adapter.upsert(client.client_id, client);
  }

  /** Every check of the UK DCR spec, in the order a TPP would want to hear about them. */
  private async validatedMetadata(
    jwt: string,
    cert: X509Certificate,
  ): Promise<Omit<ClientMetadata, 'client_id'>> {
    let claims: JWTPayload;
    try {
      claims = decodeJwt(jwt);
    } catch {
      throw new RegistrationError('invalid_client_metadata', 'the request body is not a JWT');
    }
    // Quirk: the bank wants scope as a JSON array, and refuses the standard string.
    if (this.quirks.scopeFormat === 'array') {
      if (!Array.isArray(claims.scope) || !claims.scope.every((x) => typeof x === 'string'))
        throw new RegistrationError(
          'invalid_client_metadata',
          'scope must be a JSON array of strings at this bank',
        );
      claims = { ...claims, scope: claims.scope.join(' ') };
    } else if (Array.isArray(claims.scope)) {
      throw new RegistrationError(
        'invalid_client_metadata',
        'scope must be a space-separated string',
      );
    }
    const problems = this.deps.validateClaims(claims);
    if (problems.length)
      throw new RegistrationError(
        'invalid_client_metadata',
        `claims do not match OBClientRegistration1: ${problems.join('; ')}`,
      );
    const c = claims as JWTPayload & Record<string, unknown>;

    const now = Math.floor(Date.now() / 1000);
    if (Number(c.iat) > now + CLOCK_SKEW_SECONDS)
      throw new RegistrationError('invalid_client_metadata', 'iat is in the future');
    if (Number(c.exp) <= now - CLOCK_SKEW_SECONDS)
      throw new RegistrationError('invalid_client_metadata', 'the request has expired (exp)');
    if (Number(c.exp) < Number(c.iat))
      throw new RegistrationError('invalid_client_metadata', 'exp is before iat');

    const ssa = await this.verifiedSsa(String(c.software_statement));
    const softwareId = String(ssa.software_id);
    const enrolment = this.enrolmentFor(ssa);

    try {
      await jwtVerify(jwt, createLocalJWKSet(enrolment.signingJwks), {
        algorithms: ['PS256'],
        clockTolerance: CLOCK_SKEW_SECONDS,
      });
    } catch (err) {
      throw new RegistrationError(
        'invalid_client_metadata',
        `request signature not verified with the software statement's keys: ${(err as Error).message}`,
      );
    }
    if (c.iss !== softwareId)
      throw new RegistrationError(
        'invalid_client_metadata',
        "iss must be the software statement's software_id",
      );
    if (c.software_id !== undefined && c.software_id !== softwareId) {
      throw new RegistrationError(
        'invalid_software_statement',
        'software_id does not match the software statement',
      );
    }
    const audiences =
      this.quirks.audience === 'issuer'
        ? [this.deps.issuer]
        : this.quirks.audience === 'financial-id'
          ? [this.deps.financialId]
          : [this.deps.financialId, this.deps.issuer];
    if (!audiences.includes(String(c.aud))) {
      throw new RegistrationError(
        'invalid_client_metadata',
        this.quirks.audience === 'any'
          ? `aud must be this bank's financial id (${this.deps.financialId}) or issuer`
          : `aud must be this bank's ${this.quirks.audience === 'issuer' ? `issuer (${this.deps.issuer})` : `financial id (${this.deps.financialId})`}`,
      );
    }

    const redirectUris = c.redirect_uris as string[];
    const allowed = (ssa.software_redirect_uris as string[] | undefined) ?? [];
    const stray = redirectUris.filter((uri) => !allowed.includes(uri));
    if (stray.length || redirectUris.length === 0) {
      throw new RegistrationError(
        'invalid_redirect_uri',
        `redirect_uris must be among the software statement's software_redirect_uris (not: ${stray.join(', ') || 'none given'})`,
      );
    }

    const authMethod = String(c.token_endpoint_auth_method);
    if (!(SUPPORTED_AUTH_METHODS as readonly string[]).includes(authMethod)) {
      throw new RegistrationError(
        'invalid_client_metadata',
        `token_endpoint_auth_method ${authMethod} is not supported (${SUPPORTED_AUTH_METHODS.join(', ')})`,
      );
    }
    if (authMethod === 'tls_client_auth' && typeof c.tls_client_auth_subject_dn !== 'string') {
      throw new RegistrationError(
        'invalid_client_metadata',
        'tls_client_auth_subject_dn is required with tls_client_auth',
      );
    }
    // A DN sent with another auth method is registered too: it must be as good (the bank's
    // spelling, the presented certificate) as the one tls_client_auth needs.
    if (typeof c.tls_client_auth_subject_dn === 'string') {
      const dnFormat = this.quirks.subjectDnFormat;
      if (dnFormat !== 'any' && !hasOrganisationIdAs(c.tls_client_auth_subject_dn, dnFormat)) {
        throw new RegistrationError('invalid_client_metadata', DN_FORMAT_REQUIRED[dnFormat]);
      }
      if (!subjectDnMatches(c.tls_client_auth_subject_dn, cert)) {
        throw new RegistrationError(
          'invalid_client_metadata',
          'tls_client_auth_subject_dn does not match the transport certificate presented (RFC 4514 order expected)',
        );
      }
    }
    // Quirk: a bank that insists on one subject_type (and refuses a request without it).
    if (this.quirks.subjectType !== 'any' && c.subject_type !== this.quirks.subjectType) {
      throw new RegistrationError(
        'invalid_client_metadata',
        `subject_type must be ${this.quirks.subjectType} at this bank (got ${c.subject_type === undefined ? 'none' : String(c.subject_type)})`,
      );
    }
    const grantTypes = c.grant_types as string[];
    const badGrant = grantTypes.find((g) => !SUPPORTED_GRANT_TYPES.includes(g));
    if (badGrant)
      throw new RegistrationError(
        'invalid_client_metadata',
        `grant type ${badGrant} is not supported`,
      );
    const scopes = String(c.scope).split(' ').filter(Boolean);
    const badScope = scopes.find((s) => !SUPPORTED_SCOPES.includes(s));
    if (badScope)
      throw new RegistrationError(
        'invalid_client_metadata',
        `scope ${badScope} is not supported (${SUPPORTED_SCOPES.join(' ')})`,
      );

    return {
      redirect_uris: redirectUris,
      token_endpoint_auth_method: authMethod,
      ...(authMethod === 'private_key_jwt'
        ? { token_endpoint_auth_signing_alg: c.token_endpoint_auth_signing_alg ?? 'PS256' }
        : {}),
      grant_types: grantTypes,
      response_types: (c.response_types as string[] | undefined) ?? ['code id_token'],
      scope: scopes.join(' '),
      application_type: c.application_type,
      id_token_signed_response_alg: c.id_token_signed_response_alg,
      request_object_signing_alg: c.request_object_signing_alg,
      ...(typeof c.tls_client_auth_subject_dn === 'string'
        ? { tls_client_auth_subject_dn: c.tls_client_auth_subject_dn }
        : {}),
      tls_client_certificate_bound_access_tokens: true,
      software_id: softwareId,
      software_statement: c.software_statement,
      software_roles: ssa.software_roles,
      // The keys as the directory publishes them now; only public members are copied.
      jwks: { keys: enrolment.signingJwks.keys.map(publicMembers) },
    };
  }

  private async verifiedSsa(ssa: string): Promise<JWTPayload> {
    try {
      return await this.deps.signer.verifySsa(ssa);
    } catch (err) {
      throw new RegistrationError(
        'invalid_software_statement',
        `software_statement not verified with the directory's key: ${(err as Error).message}`,
      );
    }
  }

  private enrolmentFor(ssa: JWTPayload) {
    const ref =
      typeof ssa.software_jwks_endpoint === 'string'
        ? this.deps.urls.parseSoftwareJwks(ssa.software_jwks_endpoint)
        : undefined;
    if (!ref || ref.softwareId !== ssa.software_id) {
      throw new RegistrationError(
        'invalid_software_statement',
        "software_jwks_endpoint is not this directory's endpoint for the software statement",
      );
    }
    const enrolment = this.deps.store.get(ref.organisationId, ref.softwareId);
    if (!enrolment || ssa.org_status !== 'Active') {
      throw new RegistrationError(
        'unapproved_software_statement',
        'the software statement is not (or no longer) enrolled in the directory',
      );
    }
    return enrolment;
  }
}

function toResponse(
  client: ClientMetadata,
  issuedAtUnit: 'seconds' | 'milliseconds',
): RegistrationResponse {
  const out: RegistrationResponse = { client_id: client.client_id };
  for (const [key, value] of Object.entries(client)) {
    if (!INTERNAL_METADATA.includes(key) && value !== undefined) out[key] = value;
  }
  // Quirk: some banks answer client_id_issued_at in milliseconds.
  if (issuedAtUnit === 'milliseconds' && typeof out.client_id_issued_at === 'number')
    out.client_id_issued_at *= 1000;
  return out;
}

type DnFormat = Exclude<MockBankQuirks['registration']['subjectDnFormat'], 'any'>;

const DN_FORMAT_REQUIRED: Record<DnFormat, string> = {
  oid: 'tls_client_auth_subject_dn must write the organisation identifier as 2.5.4.97=<text>',
  'oid-hex':
    "tls_client_auth_subject_dn must write the organisation identifier as 2.5.4.97=#<hex of the certificate's encoding of the value> (RFC 4514 section 2.4)",
  string:
    'tls_client_auth_subject_dn must write the organisation identifier as organizationIdentifier=<text>',
};

// An attribute starts the DN or follows an RDN (,) or multi-valued RDN (+) separator.
const DN_FORMAT_PATTERN: Record<DnFormat, RegExp> = {
  oid: /(^|[,+])\s*(oid\.)?2\.5\.4\.97=(?!#)/i,
  'oid-hex': /(^|[,+])\s*(oid\.)?2\.5\.4\.97=#/i,
  string: /(^|[,+])\s*organizationIdentifier=/i,
};

/**
 * Whether the DN writes organizationIdentifier in the given spelling. Only the spelling: that
 * the value (for 'oid-hex', its encoding byte for byte) is the certificate's is subjectDnMatches'.
 */
function hasOrganisationIdAs(dn: string, format: DnFormat): boolean {
  return DN_FORMAT_PATTERN[format].test(dn);
}

function publicMembers({ kty, n, e, crv, x, y, kid, use, alg }: JWK): JWK {
  const jwk: JWK = { kty, n, e, crv, x, y, kid, use, alg };
  return Object.fromEntries(Object.entries(jwk).filter(([, v]) => v !== undefined)) as JWK;
}
