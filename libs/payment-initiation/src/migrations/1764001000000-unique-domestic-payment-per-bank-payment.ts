import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { retireDuplicateRows } from '@obc/persistence';

export const DOMESTIC_PAYMENT_BANK_ID_INDEX = 'UQ_domestic_payment_consent_bank_payment';

/**
 * One local payment per bank payment: a retry that re-sends the same x-idempotency-key gets the
 * bank's first payment back, and must map to the row stored for it, never to a second one.
 *
 * Rows a crash or a late holder stored twice before this index are settled first: the one the
 * idempotency record answered with (else the earliest) stays, the others are soft-deleted; the
 * index covers live rows only.
 */
export class UniqueDomesticPaymentPerBankPayment1764001000000 implements MigrationInterface {
  name = 'UniqueDomesticPaymentPerBankPayment1764001000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await retireDuplicateRows(queryRunner, {
      table: 'domestic_payment',
      columns: ['domesticPaymentConsentId', 'externalApiId'],
      scope: 'domestic-payment',
    });
    await queryRunner.createIndex(
      'domestic_payment',
      new TableIndex({
        name: DOMESTIC_PAYMENT_BANK_ID_INDEX,
        columnNames: ['domesticPaymentConsentId', 'externalApiId'],
        isUnique: true,
        where: '"deleted" IS NULL',
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('domestic_payment', DOMESTIC_PAYMENT_BANK_ID_INDEX);
  }
}
