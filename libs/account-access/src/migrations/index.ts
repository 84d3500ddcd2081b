import { CreateAccountAccessConsentTable1764000600000 } from './1764000600000-create-account-access-consent-table';

/** This lib's migrations, in order; apps/connector/src/migrations.ts concatenates every lib's. */
export const accountAccessMigrations = [CreateAccountAccessConsentTable1764000600000];
