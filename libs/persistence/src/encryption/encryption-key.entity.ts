import { Column, Entity } from 'typeorm';
import { ConnectorBaseEntity } from '../entity/connector-base.entity';
import type { SecretRef } from '@obc/config';

/**
 * A data-encryption key, by reference only: `source` + `name` say where the key material (base64
 * of 32 bytes) lives; the material itself is never stored. At most one row is current.
 */
@Entity('encryption_key')
export class EncryptionKeyEntity extends ConnectorBaseEntity {
  @Column({ type: 'varchar', length: 16 })
  source!: SecretRef['source'];

  @Column({ type: 'varchar', length: 512 })
  name!: string;

  @Column({ type: 'boolean', default: false })
  isCurrent!: boolean;
}
