import { Injectable, Optional } from '@nestjs/common';
import { Clock, DomainError, NotFoundError, RandomSource } from '@obc/common';
import { SecretRef, SecretResolver } from '@obc/config';
import { toSecretRef } from '../shared/secret-ref-columns';
import {
  assertNotExpired,
  keyMatchesCertificate,
  parseCertificate,
  parsePrivateKey,
} from './certificate-inspector';
import { ObsealCertificateRepository } from './certificate.repository';
import { ObsealCertificateEntity } from './obseal-certificate.entity';
import { ClientContextCache } from '../registrations/client-context.cache';

export interface RegisterObsealCertificate {
  keyId: string;
  privateKey: SecretRef;
  certificatePem: string | null;
  reference: string | null;
  createdBy: string;
}

/** A signing key as the signers need it: the kid and the PEM (resolved, never stored). */
export interface SigningKeyMaterial {
  kid: string;
  privateKeyPem: string;
}

const RESOURCE = 'obseal-certificate';

@Injectable()
export class ObsealCertificateService {
  constructor(
    private readonly certificates: ObsealCertificateRepository,
    private readonly secrets: SecretResolver,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    @Optional() private readonly contexts?: ClientContextCache,
  ) {}

  async register(input: RegisterObsealCertificate): Promise<ObsealCertificateEntity> {
    // The key is checked even without a certificate: a wrong reference should fail now, not at DCR.
    const key = parsePrivateKey(
      await this.secrets.resolve(input.privateKey),
      `${RESOURCE}/invalid-key`,
    );
    if (input.certificatePem !== null) {
      const cert = parseCertificate(input.certificatePem);
      assertNotExpired(cert, this.clock.now());
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
    }
    const row = new ObsealCertificateEntity();
    row.id = this.random.uuid();
    row.createdBy = input.createdBy;
    row.reference = input.reference;
    row.keyId = input.keyId;
    row.privateKeySource = input.privateKey.source;
    row.privateKeyName = input.privateKey.name;
    row.certificatePem = input.certificatePem;
    return this.certificates.add(row);
  }

  async get(id: string): Promise<ObsealCertificateEntity> {
    const row = await this.certificates.findLive(id);
    if (!row) throw new NotFoundError(RESOURCE, id);
    return row;
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.certificates.markDeleted(id);
    this.contexts?.clear();
  }

  async getReferenced(id: string): Promise<ObsealCertificateEntity> {
    const row = await this.certificates.findLive(id);
    if (!row) {
      throw new DomainError(`${RESOURCE}/unknown`, 'validation', 'Unknown OBSeal certificate', {
        detail: `No OBSeal certificate with id '${id}'.`,
      });
    }
    return row;
  }

  async signingKeyFor(row: ObsealCertificateEntity): Promise<SigningKeyMaterial> {
    const privateKeyPem = await this.secrets.resolve(
      toSecretRef(row.privateKeySource, row.privateKeyName),
    );
    return { kid: row.keyId, privateKeyPem };
  }
}
