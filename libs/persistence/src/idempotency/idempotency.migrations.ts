import type { MigrationClass } from '../data-source/data-source-options';
import { CreateIdempotencyRecordTable1764000700000 } from './1764000700000-create-idempotency-record-table';

/**
 * The idempotency_record migrations, kept apart from persistenceMigrations so the libs whose
 * specs migrate only persistenceMigrations plus their own are unaffected;
 * apps/connector/src/migrations.ts adds them to the connector's list.
 */
export const idempotencyMigrations: MigrationClass[] = [CreateIdempotencyRecordTable1764000700000];
