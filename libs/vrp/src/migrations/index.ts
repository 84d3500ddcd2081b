import { CreateDomesticVrpConsentTable1764000900000 } from './1764000900000-create-domestic-vrp-consent-table';
import { CreateDomesticVrpTable1764000910000 } from './1764000910000-create-domestic-vrp-table';
import { UniqueDomesticVrpPerBankPayment1764001010000 } from './1764001010000-unique-domestic-vrp-per-bank-payment';

/** This lib's migrations, in order; apps/connector/src/migrations.ts concatenates every lib's. */
export const vrpMigrations = [
  CreateDomesticVrpConsentTable1764000900000,
  CreateDomesticVrpTable1764000910000,
  UniqueDomesticVrpPerBankPayment1764001010000,
];
