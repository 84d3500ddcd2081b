import { CreateDomesticPaymentConsentTable1764000800000 } from './1764000800000-create-domestic-payment-consent-table';
import { CreateDomesticPaymentTable1764000810000 } from './1764000810000-create-domestic-payment-table';
import { UniqueDomesticPaymentPerBankPayment1764001000000 } from './1764001000000-unique-domestic-payment-per-bank-payment';

/** This lib's migrations, in order; apps/connector/src/migrations.ts concatenates every lib's. */
export const paymentInitiationMigrations = [
  CreateDomesticPaymentConsentTable1764000800000,
  CreateDomesticPaymentTable1764000810000,
  UniqueDomesticPaymentPerBankPayment1764001000000,
];
