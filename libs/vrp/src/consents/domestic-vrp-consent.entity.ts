import { Column, Entity } from 'typeorm';
import { ConnectorBaseEntity } from '@obc/persistence';
import { jsonColumn } from '../common/json-column';

export const DOMESTIC_VRP_CONSENT_TABLE = 'domestic_vrp_consent';

/** A domestic VRP consent created at a bank through a bank registration. */
@Entity(DOMESTIC_VRP_CONSENT_TABLE)
export class DomesticVrpConsentEntity extends ConnectorBaseEntity {
  @Column({ type: 'varchar', length: 36 })
  bankRegistrationId!: string;

  /** The bank's ConsentId. */
  @Column({ type: 'varchar', length: 256 })
  externalApiId!: string;

  /** The bank's Data.Status as last seen, as an OB v4.0 code (see toConsentStatusCode). */
  @Column({ type: 'varchar', length: 64 })
  status!: string;

  /** The bank's OBDomesticVRPConsentResponse as last seen (never holds tokens). */
  @Column({ type: 'text', transformer: jsonColumn })
  externalApiResponse!: Record<string, unknown>;

  @Column({ type: Date, nullable: true })
  authorisedAt!: Date | null;
}
