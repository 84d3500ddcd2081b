import type { MigrationClass } from '../data-source/data-source-options';
import { CreateEncryptionKeyTable1764000000000 } from './1764000000000-create-encryption-key-table';

/** This lib's migrations, in order; apps/connector/src/migrations.ts concatenates every lib's. */
export const persistenceMigrations: MigrationClass[] = [CreateEncryptionKeyTable1764000000000];
