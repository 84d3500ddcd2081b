import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { baseColumns, columnTypes } from '@obc/persistence';

export class CreateDomesticVrpTable1764000910000 implements MigrationInterface {
  name = 'CreateDomesticVrpTable1764000910000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'domestic_vrp',
        columns: [
          ...baseColumns(queryRunner),
          new TableColumn({
            name: 'domesticVrpConsentId',
            type: t.uuid,
            length: t.uuid === 'uuid' ? undefined : '36',
          }),
          new TableColumn({ name: 'externalApiId', type: 'varchar', length: '256' }),
          new TableColumn({ name: 'status', type: 'varchar', length: '64' }),
          new TableColumn({ name: 'externalApiResponse', type: t.json }),
        ],
        foreignKeys: [
          {
            columnNames: ['domesticVrpConsentId'],
            referencedTableName: 'domestic_vrp_consent',
            referencedColumnNames: ['id'],
          },
        ],
      }),
    );
    // Many payments per consent: listed by consent.
    await queryRunner.createIndex(
      'domestic_vrp',
      new TableIndex({ name: 'IX_domestic_vrp_consent', columnNames: ['domesticVrpConsentId'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('domestic_vrp', 'IX_domestic_vrp_consent');
    await queryRunner.dropTable('domestic_vrp');
  }
}
