import { Column, Entity } from 'typeorm';
import { ConnectorBaseEntity } from '@obc/persistence';
import { jsonColumn } from '../json-column';

export const DOMESTIC_PAYMENT_CONSENT_TABLE = 'domestic_payment_consent';

/** A domestic payment consent created at a bank through a bank registration. */
@Entity(DOMESTIC_PAYMENT_CONSENT_TABLE)
export class DomesticPaymentConsentEntity extends ConnectorBaseEntity {
  @Column({ type: 'varchar', length: 36 })
  bankRegistrationId!: string;

  /** The bank's ConsentId. */
  @Column({ type: 'varchar', length: 256 })
  externalApiId!: string;

  /** OB v4.0 status code as last seen (AWAU, AUTH, COND once its payment is made, ...). */
  @Column({ type: 'varchar', length: 64 })
  status!: string;

  /** The Initiation and Risk the consent was created with: a payment must match them. */
  @Column({ type: 'text', transformer: jsonColumn })
  externalApiRequest!: Record<string, unknown>;

  /** The bank's OBWriteDomesticConsentResponse as last seen (never holds tokens). */
  @Column({ type: 'text', transformer: jsonColumn })
  externalApiResponse!: Record<string, unknown>;

  @Column({ type: Date, nullable: true })
  authorisedAt!: Date | null;
}
