import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { baseColumns } from '../migration/base-columns';
import { columnTypes } from '../migration/column-types';

export class CreateEncryptionKeyTable1764000000000 implements MigrationInterface {
  name = 'CreateEncryptionKeyTable1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'encryption_key',
        columns: [
          ...baseColumns(queryRunner),
          new TableColumn({ name: 'source', type: 'varchar', length: '16' }),
          new TableColumn({ name: 'name', type: 'varchar', length: '512' }),
          new TableColumn({ name: 'isCurrent', type: t.boolean, default: false }),
        ],
      }),
    );
    // The database, not only the service, guarantees a single current key across replicas.
    await queryRunner.createIndex(
      'encryption_key',
      new TableIndex({
        name: 'UQ_encryption_key_single_current',
        columnNames: ['isCurrent'],
        isUnique: true,
        where: '"isCurrent" = true AND "deleted" IS NULL',
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('encryption_key', 'UQ_encryption_key_single_current');
    await queryRunner.dropTable('encryption_key');
  }
}
