import { DomainError, type FieldError } from '../errors/domain.error';

/**
 * Active ISO 4217 alphabetic codes. Kept as code: the OB spec only says "three capital letters",
 * and a typo such as `GPB` must be refused before it reaches the customer's authorisation screen.
 */
export const ISO_CURRENCIES: ReadonlySet<string> = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP ' +
    'BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP ' +
    'GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR ' +
    'KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK ' +
    'MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR ' +
    'SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS ' +
    'UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL'
  ).split(' '),
);

/** OBActiveCurrencyAndAmount_SimpleType: up to 13 digits, up to 5 decimals. */
const DECIMAL = /^\d{1,13}(\.\d{1,5})?$/;

function invalid(code: string, title: string, field: string, message: string): DomainError {
  const errors: FieldError[] = [{ field, message }];
  return new DomainError(code, 'validation', title, { detail: `${field} ${message}.`, errors });
}

/** A decimal string greater than zero, or payment/invalid-amount. Money is never a number. */
export function assertAmount(value: unknown, field: string): void {
  if (typeof value !== 'string' || !DECIMAL.test(value) || !/[1-9]/.test(value)) {
    throw invalid(
      'payment/invalid-amount',
      'The amount is not valid',
      field,
      'must be a decimal string greater than zero (e.g. "10.50")',
    );
  }
}

/** A known ISO 4217 code, or payment/unknown-currency. */
export function assertCurrency(value: unknown, field: string): void {
  if (typeof value !== 'string' || !ISO_CURRENCIES.has(value)) {
    throw invalid(
      'payment/unknown-currency',
      'The currency is not known',
      field,
      'must be an active ISO 4217 currency code (e.g. "GBP")',
    );
  }
}

/** An OB `{ Amount, Currency }` pair, checked before any bank call. */
export function assertInstructedAmount(value: unknown, field: string): void {
  const amount =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  assertAmount(amount.Amount, `${field}.Amount`);
  assertCurrency(amount.Currency, `${field}.Currency`);
}
