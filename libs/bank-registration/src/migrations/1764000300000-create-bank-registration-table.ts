import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { baseColumns, columnTypes } from '@obc/persistence';

export class CreateBankRegistrationTable1764000300000 implements MigrationInterface {
  name = 'CreateBankRegistrationTable1764000300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'bank_registration',
        columns: [
          ...baseColumns(queryRunner),
          new TableColumn({ name: 'bankProfile', type: 'varchar', length: '128' }),
          new TableColumn({
            name: 'softwareStatementId',
            type: t.uuid,
            length: t.uuid === 'uuid' ? undefined : '36',
          }),
          new TableColumn({ name: 'status', type: 'varchar', length: '16' }),
          new TableColumn({
            name: 'externalApiId',
            type: 'varchar',
            length: '256',
            isNullable: true,
          }),
          new TableColumn({ name: 'clientSecret', type: t.text, isNullable: true }),
          new TableColumn({ name: 'registrationAccessToken', type: t.text, isNullable: true }),
          new TableColumn({ name: 'tokenEndpointAuthMethod', type: 'varchar', length: '32' }),
          new TableColumn({ name: 'scopes', type: t.json }),
          new TableColumn({ name: 'redirectUris', type: t.json }),
          new TableColumn({ name: 'defaultRedirectUri', type: 'varchar', length: '2048' }),
          new TableColumn({ name: 'registrationMode', type: 'varchar', length: '16' }),
          new TableColumn({ name: 'externalApiResponse', type: t.json, isNullable: true }),
          new TableColumn({
            name: 'idempotencyKey',
            type: 'varchar',
            length: '256',
            isNullable: true,
          }),
          new TableColumn({ name: 'requestHash', type: 'varchar', length: '64', isNullable: true }),
          new TableColumn({ name: 'dcrJti', type: 'varchar', length: '36', isNullable: true }),
        ],
        foreignKeys: [
          {
            columnNames: ['softwareStatementId'],
            referencedTableName: 'software_statement',
            referencedColumnNames: ['id'],
          },
        ],
      }),
    );
    // One row per Idempotency-Key across replicas: the database decides who calls the bank.
    await queryRunner.createIndex(
      'bank_registration',
      new TableIndex({
        name: 'UQ_bank_registration_idempotency_key',
        columnNames: ['idempotencyKey'],
        isUnique: true,
        where: '"idempotencyKey" IS NOT NULL',
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('bank_registration', 'UQ_bank_registration_idempotency_key');
    await queryRunner.dropTable('bank_registration');
  }
}
