import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { CONSENT_STATUS } from '@obc/common';
import { isUniqueViolation } from '@obc/persistence';
import { Repository, type EntityManager } from 'typeorm';
import { DomesticPaymentConsentEntity } from '../consents/domestic-payment-consent.entity';
import { findActiveById } from '../uuid-repository';
import { DomesticPaymentEntity } from './domestic-payment.entity';

@Injectable()
export class DomesticPaymentRepository {
  constructor(
    @InjectRepository(DomesticPaymentEntity)
    private readonly rows: Repository<DomesticPaymentEntity>,
  ) {}

  async save(row: DomesticPaymentEntity): Promise<DomesticPaymentEntity> {
    return this.rows.save(row);
  }

  async findActive(id: string): Promise<DomesticPaymentEntity | null> {
    return findActiveById(this.rows, id);
  }

  /**
   * Stores the payment the bank made and marks its consent consumed, in one transaction. The row
   * is unique per (consent, bank payment id): when one exists (a retry with the same
   * x-idempotency-key, to which the bank replays its first payment, or a late holder whose
   * record was taken over) it is kept as stored, id included (the replay may be older than what a
   * GET has read since). A concurrent writer's insert
   * (unique violation) is settled by running the transaction again, which then finds its row.
   */
  async storeMade(row: DomesticPaymentEntity): Promise<DomesticPaymentEntity> {
    try {
      return await this.rows.manager.transaction((tx) => storeMadeIn(tx, row));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return this.rows.manager.transaction((tx) => storeMadeIn(tx, row));
    }
  }
}

async function storeMadeIn(
  tx: EntityManager,
  made: DomesticPaymentEntity,
): Promise<DomesticPaymentEntity> {
  const payments = tx.getRepository(DomesticPaymentEntity);
  const existing = await payments.findOne({
    where: {
      domesticPaymentConsentId: made.domesticPaymentConsentId,
      externalApiId: made.externalApiId,
    },
  });
  const stored = existing ?? (await payments.save(made));
  await tx
    .getRepository(DomesticPaymentConsentEntity)
    .update({ id: made.domesticPaymentConsentId }, { status: CONSENT_STATUS.consumed });
  return stored;
}
