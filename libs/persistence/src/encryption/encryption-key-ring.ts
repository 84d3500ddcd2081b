import { Inject, Injectable } from '@nestjs/common';
import { Clock, DomainError } from '@obc/common';
import type { SecretRef } from '@obc/config';
import {
  KEY_MATERIAL_RESOLVER,
  PERSISTENCE_SETTINGS,
  type KeyMaterialResolver,
  type PersistenceSettings,
} from '../persistence.settings';
import { EncryptionKeyRepository } from './encryption-key.repository';
import { UnknownEncryptionKeyError } from './encryption.errors';
import type { DataKey } from './encryption.types';
import { decodeKeyMaterial } from './key-material';

/**
 * How long this replica trusts its decision of which key is current. Another replica may change
 * it; within this window this one keeps encrypting under the previous key, which stays valid.
 */
export const CURRENT_KEY_TTL_MS = 10_000;

/**
 * Knows the keys: which one encrypts now and the material of any key by id. Material is cached
 * in memory by key id (a key id always names the same bytes), so each SecretRef is resolved once.
 */
@Injectable()
export class EncryptionKeyRing {
  private current?: { key: DataKey | undefined; until: number };
  private readonly material = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly keys: EncryptionKeyRepository,
    @Inject(PERSISTENCE_SETTINGS) private readonly settings: PersistenceSettings,
    @Inject(KEY_MATERIAL_RESOLVER) private readonly resolver: KeyMaterialResolver,
    private readonly clock: Clock,
  ) {}

  /** The key new values are encrypted with, or undefined when there is none at all. */
  async currentKey(): Promise<DataKey | undefined> {
    const now = this.clock.nowMs();
    if (this.current && this.current.until > now) return this.current.key;
    const key = await this.loadCurrentKey();
    this.current = { key, until: now + CURRENT_KEY_TTL_MS };
    return key;
  }

  /** The material of a key by id, for decrypting values written under it, current or not. */
  async keyById(id: string): Promise<Buffer> {
    const defaults = this.settings.encryption;
    if (id === defaults.defaultKeyId && defaults.defaultKey) return defaults.defaultKey;
    const cached = this.material.get(id);
    if (cached) return cached;
    const row = await this.keys.findByIdIncludingDeleted(id);
    if (!row) throw new UnknownEncryptionKeyError(id);
    return this.materialFor(id, { source: row.source, name: row.name });
  }

  /** Forget the current-key decision (a key was added or made current here). */
  invalidate(): void {
    this.current = undefined;
  }

  private async loadCurrentKey(): Promise<DataKey | undefined> {
    const row = await this.keys.findCurrent();
    if (row)
      return {
        id: row.id,
        material: await this.materialFor(row.id, { source: row.source, name: row.name }),
      };
    const { defaultKey, defaultKeyId } = this.settings.encryption;
    return defaultKey ? { id: defaultKeyId, material: defaultKey } : undefined;
  }

  private materialFor(id: string, ref: SecretRef): Promise<Buffer> {
    const cached = this.material.get(id);
    if (cached) return cached;
    const loading = this.resolveMaterial(id, ref);
    this.material.set(id, loading);
    // A failed resolution (e.g. SSM briefly unreachable) must not be remembered.
    loading.catch(() => this.material.delete(id));
    return loading;
  }

  private async resolveMaterial(id: string, ref: SecretRef): Promise<Buffer> {
    let value: string;
    try {
      value = await this.resolver.resolve(ref);
    } catch (cause) {
      throw new EncryptionKeyUnavailableError(
        id,
        ref,
        'the reference could not be resolved',
        cause,
      );
    }
    const material = decodeKeyMaterial(value);
    if (!material)
      throw new EncryptionKeyUnavailableError(id, ref, 'it is not base64 of exactly 32 bytes');
    return material;
  }
}

/** A registered key's material cannot be obtained now. Names the reference, never the material. */
export class EncryptionKeyUnavailableError extends DomainError {
  constructor(id: string, ref: SecretRef, reason: string, cause?: unknown) {
    super('encryption/key-unavailable', 'unavailable', 'An encryption key is unavailable', {
      detail: `Encryption key '${id}' (${ref.source}:${ref.name}) cannot be used: ${reason}.`,
      cause,
    });
  }
}
