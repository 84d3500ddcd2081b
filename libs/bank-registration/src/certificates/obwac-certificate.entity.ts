import { Column, Entity } from 'typeorm';
import { ConnectorBaseEntity } from '@obc/persistence';

/** A transport (mTLS) certificate and a reference to its private key, never the key itself. */
@Entity('obwac_certificate')
export class ObwacCertificateEntity extends ConnectorBaseEntity {
  @Column({ type: 'text' })
  certificatePem!: string;

  @Column({ type: 'varchar', length: 16 })
  privateKeySource!: string;

  @Column({ type: 'varchar', length: 2048 })
  privateKeyName!: string;

  /** RFC 4514, organizationIdentifier as its dotted OID. */
  @Column({ type: 'varchar', length: 1024 })
  subjectDn!: string;

  @Column({ type: 'varchar', length: 256, nullable: true })
  organisationId!: string | null;

  @Column()
  notAfter!: Date;

  /** SHA-256 of the DER, lower-case hex. */
  @Column({ type: 'varchar', length: 64 })
  fingerprint!: string;
}
