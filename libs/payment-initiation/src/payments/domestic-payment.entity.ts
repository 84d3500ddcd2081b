import { Column, Entity } from 'typeorm';
import { ConnectorBaseEntity } from '@obc/persistence';
import { jsonColumn } from '../json-column';

export const DOMESTIC_PAYMENT_TABLE = 'domestic_payment';

/** A domestic payment made at a bank under a domestic payment consent. */
@Entity(DOMESTIC_PAYMENT_TABLE)
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
