import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { baseColumns, columnTypes } from '@obc/persistence';

export class CreateAccountAccessConsentTable1764000600000 implements MigrationInterface {
  name = 'CreateAccountAccessConsentTable1764000600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'account_access_consent',
        columns: [
          ...baseColumns(queryRunner),
          new TableColumn({
            name: 'bankRegistrationId',
            type: t.uuid,
            length: t.uuid === 'uuid' ? undefined : '36',
          }),
          new TableColumn({ name: 'externalApiId', type: 'varchar', length: '256' }),
          new TableColumn({ name: 'status', type: 'varchar', length: '64' }),
          new TableColumn({
            name: 'externalApiUserId',
            type: 'varchar',
            length: '256',
            isNullable: true,
          }),
          new TableColumn({ name: 'externalApiResponse', type: t.json }),
          new TableColumn({ name: 'authorisedAt', type: t.timestamp, isNullable: true }),
          new TableColumn({
            name: 'idempotencyKey',
            type: 'varchar',
            length: '256',
            isNullable: true,
          }),
          new TableColumn({ name: 'requestHash', type: 'varchar', length: '64', isNullable: true }),
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
    // One consent per Idempotency-Key across replicas.
    await queryRunner.createIndex(
      'account_access_consent',
      new TableIndex({
        name: 'UQ_account_access_consent_idempotency_key',
        columnNames: ['idempotencyKey'],
        isUnique: true,
        where: '"idempotencyKey" IS NOT NULL',
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex(
      'account_access_consent',
      'UQ_account_access_consent_idempotency_key',
    );
    await queryRunner.dropTable('account_access_consent');
  }
}
