import { Column, Entity, Index } from 'typeorm';
import { ConnectorBaseEntity } from '@obc/persistence';
import { jsonColumn } from '../common/json-column';

export const DOMESTIC_VRP_TABLE = 'domestic_vrp';

/** One payment made at the bank under a domestic VRP consent. */
@Entity(DOMESTIC_VRP_TABLE)
/** One live row per bank payment (migration UniqueDomesticVrpPerBankPayment1764001010000). */
@Index('UQ_domestic_vrp_consent_bank_payment', ['domesticVrpConsentId', 'externalApiId'], {
  unique: true,
  where: '"deleted" IS NULL',
})
export class DomesticVrpEntity extends ConnectorBaseEntity {
  @Column({ type: 'varchar', length: 36 })
  domesticVrpConsentId!: string;

  /** The bank's DomesticVRPId. */
  @Column({ type: 'varchar', length: 256 })
  externalApiId!: string;

  /** The bank's Data.Status as last seen (OB v4.0 payment status code). */
  @Column({ type: 'varchar', length: 64 })
  status!: string;

  /** The bank's OBDomesticVRPResponse as last seen. */
  @Column({ type: 'text', transformer: jsonColumn })
  externalApiResponse!: Record<string, unknown>;
}
