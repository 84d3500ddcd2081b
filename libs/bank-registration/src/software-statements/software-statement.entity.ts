import { Column, Entity } from 'typeorm';
import { ConnectorBaseEntity } from '@obc/persistence';
import { jsonColumn } from '../shared/json-column';

export type SsaSource = 'supplied' | 'directory';

@Entity('software_statement')
export class SoftwareStatementEntity extends ConnectorBaseEntity {
  @Column({ type: 'varchar', length: 64 })
  organisationId!: string;

  @Column({ type: 'varchar', length: 64 })
  softwareId!: string;

  @Column({ type: 'boolean' })
  sandboxEnvironment!: boolean;

  @Column({ type: 'varchar', length: 36 })
  obwacCertificateId!: string;

  @Column({ type: 'varchar', length: 36 })
  obsealCertificateId!: string;

  @Column({ type: 'varchar', length: 2048 })
  defaultRedirectUri!: string;

  @Column({ type: 'text', transformer: jsonColumn })
  redirectUris!: string[];

  /** The software statement assertion, encrypted (SecretCipher, AAD column `ssa`). */
  @Column({ type: 'text' })
  ssa!: string;

  @Column({ type: 'varchar', length: 16 })
  ssaSource!: SsaSource;
}
