import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { baseColumns, columnTypes } from '@obc/persistence';

export class CreateAuthContextTable1764000500000 implements MigrationInterface {
  name = 'CreateAuthContextTable1764000500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'auth_context',
        columns: [
          ...baseColumns(queryRunner),
          new TableColumn({ name: 'consentType', type: 'varchar', length: '32' }),
          new TableColumn({
            name: 'consentId',
            type: t.uuid,
            length: t.uuid === 'uuid' ? undefined : '36',
          }),
          new TableColumn({ name: 'state', type: 'varchar', length: '128' }),
          new TableColumn({ name: 'nonce', type: 'varchar', length: '128' }),
          new TableColumn({ name: 'codeVerifier', type: t.text, isNullable: true }),
          new TableColumn({ name: 'redirectUri', type: 'varchar', length: '2048' }),
          new TableColumn({ name: 'responseMode', type: 'varchar', length: '16' }),
          new TableColumn({
            name: 'appSessionId',
            type: 'varchar',
            length: '256',
            isNullable: true,
          }),
          new TableColumn({ name: 'expiresAt', type: t.timestamp }),
          new TableColumn({ name: 'consumedAt', type: t.timestamp, isNullable: true }),
        ],
      }),
    );
    // The state is the redirect's credential: the database guarantees it names one context.
    await queryRunner.createIndex(
      'auth_context',
      new TableIndex({ name: 'UQ_auth_context_state', columnNames: ['state'], isUnique: true }),
    );
    await queryRunner.createIndex(
      'auth_context',
      new TableIndex({
        name: 'IDX_auth_context_consent',
        columnNames: ['consentType', 'consentId'],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('auth_context', 'IDX_auth_context_consent');
    await queryRunner.dropIndex('auth_context', 'UQ_auth_context_state');
    await queryRunner.dropTable('auth_context');
  }
}
