import { CreateCertificateTables1764000100000 } from './1764000100000-create-certificate-tables';
import { CreateSoftwareStatementTable1764000200000 } from './1764000200000-create-software-statement-table';
import { CreateBankRegistrationTable1764000300000 } from './1764000300000-create-bank-registration-table';

/** This lib's migrations, in order; apps/connector/src/migrations.ts concatenates every lib's. */
export const bankRegistrationMigrations = [
  CreateCertificateTables1764000100000,
  CreateSoftwareStatementTable1764000200000,
  CreateBankRegistrationTable1764000300000,
];
