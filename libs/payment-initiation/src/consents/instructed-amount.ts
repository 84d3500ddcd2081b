import { ValidationError } from '@obc/common';

const DECIMAL = /^\d{1,13}(\.\d{1,5})?$/;

/**
 * ISO 4217 active codes a UK bank may plausibly be asked to pay in. A code outside the list is
 * refused before the bank is called: a typo must not reach the customer's authorisation screen.
 */
export const KNOWN_CURRENCIES: ReadonlySet<string> = new Set([
  'GBP',
  'EUR',
  'USD',
  'CHF',
  'JPY',
  'CAD',
  'AUD',
  'NZD',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CZK',
  'HUF',
  'RON',
  'BGN',
  'ISK',
  'TRY',
  'ZAR',
  'HKD',
  'SGD',
  'CNY',
  'INR',
  'AED',
  'SAR',
  'ILS',
  'MXN',
  'BRL',
  'KRW',
  'THB',
  'MYR',
  'IDR',
  'PHP',
  'QAR',
  'KWD',
  'BHD',
  'OMR',
  'EGP',
  'NGN',
  'KES',
  'GIP',
]);

export interface InstructedAmount {
  Amount: string;
  Currency: string;
}

/** Refuses an amount that is not a positive OB decimal string, or an unknown currency. */
export function assertValidInstructedAmount(amount: InstructedAmount, field: string): void {
  if (!DECIMAL.test(amount.Amount) || Number(amount.Amount) <= 0) {
    throw new ValidationError(
      `${field}.Amount must be a positive decimal string (up to 13 digits and 5 decimals), e.g. "10.50".`,
      [{ field: `${field}.Amount`, message: 'must be a positive decimal string' }],
      'payment/invalid-amount',
    );
  }
  if (!KNOWN_CURRENCIES.has(amount.Currency)) {
    throw new ValidationError(
      `${field}.Currency '${amount.Currency}' is not a known ISO 4217 currency code.`,
      [{ field: `${field}.Currency`, message: 'must be a known ISO 4217 code' }],
      'payment/unknown-currency',
    );
  }
}
