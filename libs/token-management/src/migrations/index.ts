import type { MigrationClass } from '@obc/persistence';
import { CreateConsentTokenTable1764000400000 } from './1764000400000-create-consent-token-table';

/** This lib's migrations, in order; apps/connector/src/migrations.ts concatenates every lib's. */
export const tokenManagementMigrations: MigrationClass[] = [CreateConsentTokenTable1764000400000];
