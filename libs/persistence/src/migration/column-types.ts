import type { QueryRunner } from 'typeorm';

/** Driver-specific column type names, so one migration serves both PostgreSQL and SQLite. */
export interface ColumnTypes {
  uuid: string;
  /** A point in time: timestamptz on PostgreSQL, datetime (UTC text) on SQLite. */
  timestamp: string;
  json: string;
  text: string;
  boolean: string;
  /** Default expression for "now", valid on both. */
  now: string;
}

const POSTGRES: ColumnTypes = {
  uuid: 'uuid',
  timestamp: 'timestamptz',
  json: 'jsonb',
  text: 'text',
  boolean: 'boolean',
  now: 'CURRENT_TIMESTAMP',
};

const SQLITE: ColumnTypes = {
  uuid: 'varchar',
  timestamp: 'datetime',
  json: 'text',
  text: 'text',
  boolean: 'boolean',
  now: 'CURRENT_TIMESTAMP',
};

export function isPostgres(queryRunner: QueryRunner): boolean {
  return queryRunner.connection.options.type === 'postgres';
}

export function columnTypes(queryRunner: QueryRunner): ColumnTypes {
  const type = queryRunner.connection.options.type;
  if (type === 'postgres') return POSTGRES;
  if (type === 'better-sqlite3') return SQLITE;
  throw new Error(
    `Unsupported database type '${type}': the connector runs on PostgreSQL or SQLite.`,
  );
}
