import { Injectable, Optional } from '@nestjs/common';
import { Clock, DomainError, NotFoundError, RandomSource } from '@obc/common';
import { SecretRef, SecretResolver } from '@obc/config';
import type { BankTransport } from '@obc/bank-http';
import { toSecretRef } from '../shared/secret-ref-columns';
import {
  assertNotExpired,
  certificateFacts,
  keyMatchesCertificate,
  parseCertificate,
  parsePrivateKey,
} from './certificate-inspector';
import { ObwacCertificateRepository } from './certificate.repository';
import { ObwacCertificateEntity } from './obwac-certificate.entity';
import { ClientContextCache } from '../registrations/client-context.cache';

export interface RegisterObwacCertificate {
  certificatePem: string;
  privateKey: SecretRef;
  reference: string | null;
  createdBy: string;
}

const RESOURCE = 'obwac-certificate';

@Injectable()
export class ObwacCertificateService {
  constructor(
    private readonly certificates: ObwacCertificateRepository,
    private readonly secrets: SecretResolver,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    @Optional() private readonly contexts?: ClientContextCache,
  ) {}

  /** Validates the certificate and that the referenced key is its key; stores nothing otherwise. */
  async register(input: RegisterObwacCertificate): Promise<ObwacCertificateEntity> {
    const cert = parseCertificate(input.certificatePem);
    assertNotExpired(cert, this.clock.now());
    const key = parsePrivateKey(
      await this.secrets.resolve(input.privateKey),
      `${RESOURCE}/invalid-key`,
    );
    if (!keyMatchesCertificate(cert, key)) {
      throw new DomainError(
        `${RESOURCE}/key-mismatch`,
        'validation',
        'The private key does not match the certificate',
        {
          detail:
            "The key referenced by privateKey is not the private key of the certificate's public key.",
        },
      );
    }
    const facts = certificateFacts(cert, input.certificatePem);
    const row = new ObwacCertificateEntity();
    row.id = this.random.uuid();
    row.createdBy = input.createdBy;
    row.reference = input.reference;
    row.certificatePem = input.certificatePem;
    row.privateKeySource = input.privateKey.source;
    row.privateKeyName = input.privateKey.name;
    row.subjectDn = facts.subjectDn;
    row.organisationId = facts.organisationId;
    row.notAfter = facts.notAfter;
    row.fingerprint = facts.fingerprint;
    return this.certificates.add(row);
  }

  async get(id: string): Promise<ObwacCertificateEntity> {
    const row = await this.certificates.findLive(id);
    if (!row) throw new NotFoundError(RESOURCE, id);
    return row;
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.certificates.markDeleted(id);
    this.contexts?.clear();
  }

  /** For a reference from another resource's body: unknown is the caller's mistake (400). */
  async getReferenced(id: string): Promise<ObwacCertificateEntity> {
    const row = await this.certificates.findLive(id);
    if (!row) {
      throw new DomainError(`${RESOURCE}/unknown`, 'validation', 'Unknown OBWAC certificate', {
        detail: `No OBWAC certificate with id '${id}'.`,
      });
    }
    return row;
  }

  /** The mTLS identity for bank calls: the certificate with its key resolved (never stored). */
  async transportFor(row: ObwacCertificateEntity): Promise<BankTransport> {
    const privateKeyPem = await this.secrets.resolve(
      toSecretRef(row.privateKeySource, row.privateKeyName),
    );
    return { id: row.id, certificatePem: row.certificatePem, privateKeyPem };
  }
}
