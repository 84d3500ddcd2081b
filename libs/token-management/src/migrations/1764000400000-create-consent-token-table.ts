import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { baseColumns, columnTypes } from '@obc/persistence';

export class CreateConsentTokenTable1764000400000 implements MigrationInterface {
  name = 'CreateConsentTokenTable1764000400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'consent_token',
        columns: [
          ...baseColumns(queryRunner),
          new TableColumn({ name: 'consentType', type: 'varchar', length: '32' }),
          new TableColumn({ name: 'consentId', type: 'varchar', length: '128' }),
          new TableColumn({ name: 'accessToken', type: t.text }),
          new TableColumn({ name: 'refreshToken', type: t.text, isNullable: true }),
          new TableColumn({ name: 'accessTokenExpiresAt', type: t.timestamp, isNullable: true }),
          new TableColumn({ name: 'refreshRefusedAt', type: t.timestamp, isNullable: true }),
          new TableColumn({ name: 'version', type: 'integer', default: 0 }),
        ],
      }),
    );
    // One row per consent, guaranteed by the database across replicas.
    await queryRunner.createIndex(
      'consent_token',
      new TableIndex({
        name: 'UQ_consent_token_consent',
        columnNames: ['consentType', 'consentId'],
        isUnique: true,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('consent_token', 'UQ_consent_token_consent');
    await queryRunner.dropTable('consent_token');
  }
}
