import { Inject, Injectable, Logger } from '@nestjs/common';
import { NotFoundError, RandomSource } from '@obc/common';
import { describeSecretRef, type SecretRef } from '@obc/config';
import { KEY_MATERIAL_RESOLVER, type KeyMaterialResolver } from '../persistence.settings';
import { EncryptionKeyRing } from './encryption-key-ring';
import { EncryptionKeyEntity } from './encryption-key.entity';
import { EncryptionKeyRepository } from './encryption-key.repository';
import { toEncryptionKeyResponse, type EncryptionKeyResponseDto } from './encryption-key.dto';
import { InvalidEncryptionKeyError } from './encryption.errors';
import { decodeKeyMaterial } from './key-material';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RegisterEncryptionKeyInput {
  key: SecretRef;
  setAsCurrent: boolean;
  reference?: string;
  createdBy: string;
}

/** Registers and lists data-encryption keys (by reference; the material stays where it is). */
@Injectable()
export class EncryptionKeyService {
  private readonly logger = new Logger(EncryptionKeyService.name);

  constructor(
    private readonly keys: EncryptionKeyRepository,
    private readonly ring: EncryptionKeyRing,
    @Inject(KEY_MATERIAL_RESOLVER) private readonly resolver: KeyMaterialResolver,
    private readonly random: RandomSource,
  ) {}

  async register(input: RegisterEncryptionKeyInput): Promise<EncryptionKeyResponseDto> {
    await this.checkMaterial(input.key);
    const entity = new EncryptionKeyEntity();
    entity.id = this.random.uuid();
    entity.source = input.key.source;
    entity.name = input.key.name;
    entity.isCurrent = input.setAsCurrent;
    entity.reference = input.reference ?? null;
    entity.createdBy = input.createdBy;
    const saved = await this.keys.insert(entity);
    this.ring.invalidate();
    this.logger.log(
      `encryption key ${saved.id} registered (${describeSecretRef(input.key)}, current: ${saved.isCurrent})`,
    );
    return toEncryptionKeyResponse(saved);
  }

  async list(): Promise<EncryptionKeyResponseDto[]> {
    return (await this.keys.list()).map(toEncryptionKeyResponse);
  }

  async get(id: string): Promise<EncryptionKeyResponseDto> {
    // A malformed id names no key: 404 rather than a database type error on PostgreSQL.
    const entity = UUID.test(id) ? await this.keys.findById(id) : null;
    if (!entity) throw new NotFoundError('encryption-key', id);
    return toEncryptionKeyResponse(entity);
  }

  /** Nothing is stored unless the reference resolves now to exactly 32 bytes. */
  private async checkMaterial(ref: SecretRef): Promise<void> {
    let value: string;
    try {
      value = await this.resolver.resolve(ref);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : 'unknown error';
      throw new InvalidEncryptionKeyError(
        `The key reference ${describeSecretRef(ref)} could not be resolved: ${reason}`,
      );
    }
    if (!decodeKeyMaterial(value)) {
      throw new InvalidEncryptionKeyError(
        `The key reference ${describeSecretRef(ref)} does not hold base64 of exactly 32 bytes; generate one with \`openssl rand -base64 32\`.`,
      );
    }
  }
}
