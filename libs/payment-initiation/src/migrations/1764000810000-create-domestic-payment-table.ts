import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { baseColumns, columnTypes } from '@obc/persistence';

export class CreateDomesticPaymentTable1764000810000 implements MigrationInterface {
  name = 'CreateDomesticPaymentTable1764000810000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'domestic_payment',
        columns: [
          ...baseColumns(queryRunner),
          new TableColumn({
            name: 'domesticPaymentConsentId',
            type: t.uuid,
            length: t.uuid === 'uuid' ? undefined : '36',
          }),
          new TableColumn({ name: 'externalApiId', type: 'varchar', length: '256' }),
          new TableColumn({ name: 'status', type: 'varchar', length: '64' }),
          new TableColumn({ name: 'externalApiResponse', type: t.json }),
        ],
        foreignKeys: [
          {
            columnNames: ['domesticPaymentConsentId'],
            referencedTableName: 'domestic_payment_consent',
            referencedColumnNames: ['id'],
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('domestic_payment');
  }
}
