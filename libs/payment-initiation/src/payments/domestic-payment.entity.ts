import { Column, Entity, Index } from 'typeorm';
import { ConnectorBaseEntity } from '@obc/persistence';
import { jsonColumn } from '../json-column';

export const DOMESTIC_PAYMENT_TABLE = 'domestic_payment';

/** A domestic payment made at a bank under a domestic payment consent. */
@Entity(DOMESTIC_PAYMENT_TABLE)
/** One live row per bank payment (migration UniqueDomesticPaymentPerBankPayment1764001000000). */
@Index('UQ_domestic_payment_consent_bank_payment', ['domesticPaymentConsentId', 'externalApiId'], {
  unique: true,
  where: '"deleted" IS NULL',
})
export class DomesticPaymentEntity extends ConnectorBaseEntity {
  @Column({ type: 'varchar', length: 36 })
  domesticPaymentConsentId!: string;

  /** The bank's DomesticPaymentId. */
  @Column({ type: 'varchar', length: 256 })
  externalApiId!: string;

  @Column({ type: 'varchar', length: 64 })
  status!: string;

  /** The bank's OBWriteDomesticResponse as last seen. */
  @Column({ type: 'text', transformer: jsonColumn })
  externalApiResponse!: Record<string, unknown>;
}
