import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { retireDuplicateRows } from '@obc/persistence';

export const DOMESTIC_VRP_BANK_ID_INDEX = 'UQ_domestic_vrp_consent_bank_payment';

/**
 * One local VRP per bank payment (a consent has many): a retry that re-sends the same
 * x-idempotency-key gets the bank's first payment back and must map to the row stored for it.
 *
 * Rows a crash or a late holder stored twice before this index are settled first: the one the
 * idempotency record answered with (else the earliest) stays, the others are soft-deleted; the
 * index covers live rows only.
 */
export class UniqueDomesticVrpPerBankPayment1764001010000 implements MigrationInterface {
  name = 'UniqueDomesticVrpPerBankPayment1764001010000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await retireDuplicateRows(queryRunner, {
      table: 'domestic_vrp',
      columns: ['domesticVrpConsentId', 'externalApiId'],
      scope: 'domestic-vrp',
    });
    await queryRunner.createIndex(
      'domestic_vrp',
      new TableIndex({
        name: DOMESTIC_VRP_BANK_ID_INDEX,
        columnNames: ['domesticVrpConsentId', 'externalApiId'],
        isUnique: true,
        where: '"deleted" IS NULL',
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('domestic_vrp', DOMESTIC_VRP_BANK_ID_INDEX);
  }
}
