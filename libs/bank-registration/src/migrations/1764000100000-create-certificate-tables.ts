import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { baseColumns, columnTypes } from '@obc/persistence';

export class CreateCertificateTables1764000100000 implements MigrationInterface {
  name = 'CreateCertificateTables1764000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    const privateKeyRef = (): TableColumn[] => [
      new TableColumn({ name: 'privateKeySource', type: 'varchar', length: '16' }),
      new TableColumn({ name: 'privateKeyName', type: 'varchar', length: '2048' }),
    ];
    await queryRunner.createTable(
      new Table({
        name: 'obwac_certificate',
        columns: [
          ...baseColumns(queryRunner),
          new TableColumn({ name: 'certificatePem', type: t.text }),
          ...privateKeyRef(),
          new TableColumn({ name: 'subjectDn', type: 'varchar', length: '1024' }),
          new TableColumn({
            name: 'organisationId',
            type: 'varchar',
            length: '256',
            isNullable: true,
          }),
          new TableColumn({ name: 'notAfter', type: t.timestamp }),
          new TableColumn({ name: 'fingerprint', type: 'varchar', length: '64' }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'obseal_certificate',
        columns: [
          ...baseColumns(queryRunner),
          new TableColumn({ name: 'keyId', type: 'varchar', length: '256' }),
          ...privateKeyRef(),
          new TableColumn({ name: 'certificatePem', type: t.text, isNullable: true }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('obseal_certificate');
    await queryRunner.dropTable('obwac_certificate');
  }
}
