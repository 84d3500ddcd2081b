import { Injectable, Optional } from '@nestjs/common';
import { DomainError, NotFoundError, RandomSource } from '@obc/common';
import { SecretRef, SecretResolver } from '@obc/config';
import { SecretCipher } from '@obc/persistence';
import { ObsealCertificateService } from '../certificates/obseal-certificate.service';
import { ObwacCertificateService } from '../certificates/obwac-certificate.service';
import { ClientContextCache } from '../registrations/client-context.cache';
import { assertSsaMatches } from './ssa-claims';
import { SsaDirectoryClient } from './ssa-directory.client';
import { SoftwareStatementEntity } from './software-statement.entity';
import { SoftwareStatementRepository } from './software-statement.repository';

export interface CreateSoftwareStatement {
  organisationId: string;
  softwareId: string;
  sandboxEnvironment: boolean;
  obwacCertificateId: string;
  obsealCertificateId: string;
  defaultRedirectUri: string;
  redirectUris: string[] | null;
  softwareStatementAssertion: SecretRef | null;
  reference: string | null;
  createdBy: string;
}

export interface UpdateSoftwareStatement {
  obwacCertificateId?: string;
  obsealCertificateId?: string;
  defaultRedirectUri?: string;
  redirectUris?: string[];
}

const RESOURCE = 'software-statement';

/** The default redirect URI is always among the registered ones. */
function withDefault(
  defaultRedirectUri: string,
  redirectUris: string[] | null | undefined,
): string[] {
  const uris = redirectUris ?? [];
  return uris.includes(defaultRedirectUri) ? [...uris] : [defaultRedirectUri, ...uris];
}

@Injectable()
export class SoftwareStatementService {
  constructor(
    private readonly statements: SoftwareStatementRepository,
    private readonly obwac: ObwacCertificateService,
    private readonly obseal: ObsealCertificateService,
    private readonly directory: SsaDirectoryClient,
    private readonly secrets: SecretResolver,
    private readonly cipher: SecretCipher,
    private readonly random: RandomSource,
    @Optional() private readonly contexts?: ClientContextCache,
  ) {}

  async create(input: CreateSoftwareStatement): Promise<SoftwareStatementEntity> {
    const obwac = await this.obwac.getReferenced(input.obwacCertificateId);
    const obseal = await this.obseal.getReferenced(input.obsealCertificateId);
    let ssa: string;
    if (input.softwareStatementAssertion) {
      ssa = (await this.secrets.resolve(input.softwareStatementAssertion)).trim();
    } else {
      ssa = await this.directory.fetchSsa({
        sandboxEnvironment: input.sandboxEnvironment,
        organisationId: input.organisationId,
        softwareId: input.softwareId,
        transport: await this.obwac.transportFor(obwac),
        signingKey: await this.obseal.signingKeyFor(obseal),
      });
    }
    assertSsaMatches(ssa, { softwareId: input.softwareId, organisationId: input.organisationId });

    const row = new SoftwareStatementEntity();
    row.id = this.random.uuid();
    row.createdBy = input.createdBy;
    row.reference = input.reference;
    row.organisationId = input.organisationId;
    row.softwareId = input.softwareId;
    row.sandboxEnvironment = input.sandboxEnvironment;
    row.obwacCertificateId = obwac.id;
    row.obsealCertificateId = obseal.id;
    row.defaultRedirectUri = input.defaultRedirectUri;
    row.redirectUris = withDefault(input.defaultRedirectUri, input.redirectUris);
    row.ssa = await this.cipher.encrypt(ssa, {
      table: 'software_statement',
      rowId: row.id,
      column: 'ssa',
    });
    row.ssaSource = input.softwareStatementAssertion ? 'supplied' : 'directory';
    return this.statements.add(row);
  }

  async list(): Promise<SoftwareStatementEntity[]> {
    return this.statements.listLive();
  }

  async get(id: string): Promise<SoftwareStatementEntity> {
    const row = await this.statements.findLive(id);
    if (!row) throw new NotFoundError(RESOURCE, id);
    return row;
  }

  /** For a reference from another resource's body: unknown is the caller's mistake (400). */
  async getReferenced(id: string): Promise<SoftwareStatementEntity> {
    const row = await this.statements.findLive(id);
    if (!row) {
      throw new DomainError(`${RESOURCE}/unknown`, 'validation', 'Unknown software statement', {
        detail: `No software statement with id '${id}'.`,
      });
    }
    return row;
  }

  async update(id: string, changes: UpdateSoftwareStatement): Promise<SoftwareStatementEntity> {
    const row = await this.get(id);
    if (changes.obwacCertificateId !== undefined)
      row.obwacCertificateId = (await this.obwac.getReferenced(changes.obwacCertificateId)).id;
    if (changes.obsealCertificateId !== undefined)
      row.obsealCertificateId = (await this.obseal.getReferenced(changes.obsealCertificateId)).id;
    if (changes.defaultRedirectUri !== undefined)
      row.defaultRedirectUri = changes.defaultRedirectUri;
    if (changes.redirectUris !== undefined || changes.defaultRedirectUri !== undefined) {
      row.redirectUris = withDefault(
        row.defaultRedirectUri,
        changes.redirectUris ?? row.redirectUris,
      );
    }
    const saved = await this.statements.saveChanges(row);
    this.contexts?.clear();
    return saved;
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.statements.markDeleted(id);
    this.contexts?.clear();
  }

  /** The SSA in clear, for the registration request only. */
  async ssaOf(row: SoftwareStatementEntity): Promise<string> {
    return this.cipher.decrypt(row.ssa, {
      table: 'software_statement',
      rowId: row.id,
      column: 'ssa',
    });
  }
}
