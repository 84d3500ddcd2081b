import { Column, Entity } from 'typeorm';
import { ConnectorBaseEntity } from '@obc/persistence';
import { jsonColumn } from './json-column';

export const ACCOUNT_ACCESS_CONSENT_TABLE = 'account_access_consent';

/** An account-access consent created at a bank through a bank registration. */
@Entity(ACCOUNT_ACCESS_CONSENT_TABLE)
export class AccountAccessConsentEntity extends ConnectorBaseEntity {
  @Column({ type: 'varchar', length: 36 })
  bankRegistrationId!: string;

  /** The bank's ConsentId. */
  @Column({ type: 'varchar', length: 256 })
  externalApiId!: string;

  /** The bank's Data.Status as last seen, as an OB v4.0 code (see toConsentStatusCode). */
  @Column({ type: 'varchar', length: 64 })
  status!: string;

  @Column({ type: 'varchar', length: 256, nullable: true })
  externalApiUserId!: string | null;

  /** The bank's OBReadConsentResponse1 as last seen (never holds tokens). */
  @Column({ type: 'text', transformer: jsonColumn })
  externalApiResponse!: Record<string, unknown>;

  @Column({ type: Date, nullable: true })
  authorisedAt!: Date | null;

  @Column({ type: 'varchar', length: 256, nullable: true })
  idempotencyKey!: string | null;

  /** SHA-256 of the canonical request the idempotency key was first used with. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  requestHash!: string | null;
}
