import { Column, Entity } from 'typeorm';
import { ConnectorBaseEntity } from '@obc/persistence';

/** A signing key (the `kid` published in the directory JWKS) and a reference to its private key. */
@Entity('obseal_certificate')
export class ObsealCertificateEntity extends ConnectorBaseEntity {
  @Column({ type: 'varchar', length: 256 })
  keyId!: string;

  @Column({ type: 'varchar', length: 16 })
  privateKeySource!: string;

  @Column({ type: 'varchar', length: 2048 })
  privateKeyName!: string;

  @Column({ type: 'text', nullable: true })
  certificatePem!: string | null;
}
