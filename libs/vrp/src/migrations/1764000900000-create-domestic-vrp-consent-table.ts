import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { baseColumns, columnTypes } from '@obc/persistence';

export class CreateDomesticVrpConsentTable1764000900000 implements MigrationInterface {
  name = 'CreateDomesticVrpConsentTable1764000900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'domestic_vrp_consent',
        columns: [
          ...baseColumns(queryRunner),
          new TableColumn({
            name: 'bankRegistrationId',
            type: t.uuid,
            length: t.uuid === 'uuid' ? undefined : '36',
          }),
          new TableColumn({ name: 'externalApiId', type: 'varchar', length: '256' }),
          new TableColumn({ name: 'status', type: 'varchar', length: '64' }),
          new TableColumn({ name: 'externalApiResponse', type: t.json }),
          new TableColumn({ name: 'authorisedAt', type: t.timestamp, isNullable: true }),
        ],
        foreignKeys: [
          {
            columnNames: ['bankRegistrationId'],
            referencedTableName: 'bank_registration',
            referencedColumnNames: ['id'],
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('domestic_vrp_consent');
  }
}
