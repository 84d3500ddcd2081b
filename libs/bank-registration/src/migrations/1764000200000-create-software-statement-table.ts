import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { baseColumns, columnTypes } from '@obc/persistence';

export class CreateSoftwareStatementTable1764000200000 implements MigrationInterface {
  name = 'CreateSoftwareStatementTable1764000200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    const idLength = t.uuid === 'uuid' ? undefined : '36';
    await queryRunner.createTable(
      new Table({
        name: 'software_statement',
        columns: [
          ...baseColumns(queryRunner),
          new TableColumn({ name: 'organisationId', type: 'varchar', length: '64' }),
          new TableColumn({ name: 'softwareId', type: 'varchar', length: '64' }),
          new TableColumn({ name: 'sandboxEnvironment', type: t.boolean }),
          new TableColumn({ name: 'obwacCertificateId', type: t.uuid, length: idLength }),
          new TableColumn({ name: 'obsealCertificateId', type: t.uuid, length: idLength }),
          new TableColumn({ name: 'defaultRedirectUri', type: 'varchar', length: '2048' }),
          new TableColumn({ name: 'redirectUris', type: t.json }),
          new TableColumn({ name: 'ssa', type: t.text }),
          new TableColumn({ name: 'ssaSource', type: 'varchar', length: '16' }),
        ],
        // Certificates are soft-deleted, never removed, so the references stay valid.
        foreignKeys: [
          {
            columnNames: ['obwacCertificateId'],
            referencedTableName: 'obwac_certificate',
            referencedColumnNames: ['id'],
          },
          {
            columnNames: ['obsealCertificateId'],
            referencedTableName: 'obseal_certificate',
            referencedColumnNames: ['id'],
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('software_statement');
  }
}
