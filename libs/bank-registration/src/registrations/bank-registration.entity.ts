import { Column, Entity } from 'typeorm';
import { ConnectorBaseEntity } from '@obc/persistence';
import { jsonColumn } from '../shared/json-column';

/** `shared`: the client of another profile's registration, reused (registration.sharedWith). */
export type RegistrationMode = 'dcr' | 'import' | 'shared';
/** `pending`: written before the DCR call (idempotency), `registered` once the bank answered. */
export type RegistrationStatus = 'pending' | 'registered';

@Entity('bank_registration')
export class BankRegistrationEntity extends ConnectorBaseEntity {
  @Column({ type: 'varchar', length: 128 })
  bankProfile!: string;

  @Column({ type: 'varchar', length: 36 })
  softwareStatementId!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: RegistrationStatus;

  /** The bank's client_id; null only while pending. */
  @Column({ type: 'varchar', length: 256, nullable: true })
  externalApiId!: string | null;

  /** Encrypted (SecretCipher, AAD column `clientSecret`). */
  @Column({ type: 'text', nullable: true })
  clientSecret!: string | null;

  /** Encrypted (SecretCipher, AAD column `registrationAccessToken`). */
  @Column({ type: 'text', nullable: true })
  registrationAccessToken!: string | null;

  @Column({ type: 'varchar', length: 32 })
  tokenEndpointAuthMethod!: string;

  @Column({ type: 'text', transformer: jsonColumn })
  scopes!: string[];

  @Column({ type: 'text', transformer: jsonColumn })
  redirectUris!: string[];

  @Column({ type: 'varchar', length: 2048 })
  defaultRedirectUri!: string;

  @Column({ type: 'varchar', length: 16 })
  registrationMode!: RegistrationMode;

  /** The bank's registration response with client_secret and registration_access_token removed. */
  @Column({ type: 'text', nullable: true, transformer: jsonColumn })
  externalApiResponse!: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 256, nullable: true })
  idempotencyKey!: string | null;

  /** SHA-256 of the canonical request body the idempotency key was first used with. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  requestHash!: string | null;

  /** The jti of the registration JWT, reused when a pending registration is retried. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  dcrJti!: string | null;
}
