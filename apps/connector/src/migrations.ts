import { accountAccessMigrations } from '@obc/account-access';
import { authContextMigrations } from '@obc/auth-contexts';
import { bankRegistrationMigrations } from '@obc/bank-registration';
import { paymentInitiationMigrations } from '@obc/payment-initiation';
import { idempotencyMigrations, persistenceMigrations } from '@obc/persistence';
import { tokenManagementMigrations } from '@obc/token-management';
import { vrpMigrations } from '@obc/vrp';

/**
 * Every migration of every lib, in order of their timestamps. Assembled here so a lower lib
 * never imports a feature lib.
 */
export const connectorMigrations = [
  ...persistenceMigrations,
  ...idempotencyMigrations,
  ...bankRegistrationMigrations,
  ...tokenManagementMigrations,
  ...authContextMigrations,
  ...accountAccessMigrations,
  ...paymentInitiationMigrations,
  ...vrpMigrations,
].sort((a, b) => migrationTimestamp(a) - migrationTimestamp(b));

function migrationTimestamp(migration: { name: string }): number {
  const match = /(\d{13})$/.exec(migration.name) ?? /^(\d{13})/.exec(migration.name);
  if (!match)
    throw new Error(`migration class ${migration.name} must end with a 13-digit timestamp`);
  return Number(match[1]);
}
