import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnTypes } from '../migration/column-types';

export class CreateIdempotencyRecordTable1764000700000 implements MigrationInterface {
  name = 'CreateIdempotencyRecordTable1764000700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_record',
        columns: [
          new TableColumn({
            name: 'id',
            type: t.uuid,
            length: t.uuid === 'uuid' ? undefined : '36',
            isPrimary: true,
          }),
          new TableColumn({ name: 'scope', type: 'varchar', length: '64' }),
          new TableColumn({ name: 'callerId', type: 'varchar', length: '256' }),
          new TableColumn({ name: 'key', type: 'varchar', length: '128' }),
          new TableColumn({ name: 'requestHash', type: 'varchar', length: '64' }),
          new TableColumn({ name: 'bankIdempotencyKey', type: 'varchar', length: '40' }),
          new TableColumn({ name: 'status', type: 'varchar', length: '32' }),
          new TableColumn({ name: 'attempt', type: 'integer', default: 1 }),
          new TableColumn({ name: 'lockedUntil', type: t.timestamp, isNullable: true }),
          new TableColumn({ name: 'outcome', type: 'varchar', length: '16', isNullable: true }),
          new TableColumn({ name: 'responseStatus', type: 'integer', isNullable: true }),
          new TableColumn({ name: 'responseBody', type: t.text, isNullable: true }),
          new TableColumn({ name: 'resourceId', type: 'varchar', length: '128', isNullable: true }),
          new TableColumn({ name: 'created', type: t.timestamp, default: t.now }),
          new TableColumn({ name: 'updated', type: t.timestamp, default: t.now }),
        ],
      }),
    );
    // The database, not the service, decides which of several concurrent requests runs the work.
    await queryRunner.createIndex(
      'idempotency_record',
      new TableIndex({
        name: 'UQ_idempotency_record_scope_caller_key',
        columnNames: ['scope', 'callerId', 'key'],
        isUnique: true,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('idempotency_record', 'UQ_idempotency_record_scope_caller_key');
    await queryRunner.dropTable('idempotency_record');
  }
}
