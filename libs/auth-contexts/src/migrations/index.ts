import { CreateAuthContextTable1764000500000 } from './1764000500000-create-auth-context-table';

/** This lib's migrations, in order; apps/connector/src/migrations.ts concatenates every lib's. */
export const authContextMigrations = [CreateAuthContextTable1764000500000];
