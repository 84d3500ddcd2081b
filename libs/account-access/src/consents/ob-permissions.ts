/**
 * OBReadConsent1 Data.Permissions values of the v4.0 Account and Transaction API (the enum in
 * ob-specs/v4.0/account-info-openapi.json). Kept as code: the template and the request DTO need
 * them at start-up, and the spec is not read at run time for this.
 */
export const OB_ACCOUNT_PERMISSIONS = [
  'ReadAccountsBasic',
  'ReadAccountsDetail',
  'ReadBalances',
  'ReadBeneficiariesBasic',
  'ReadBeneficiariesDetail',
  'ReadDirectDebits',
  'ReadOffers',
  'ReadPAN',
  'ReadParty',
  'ReadPartyPSU',
  'ReadProducts',
  'ReadScheduledPaymentsBasic',
  'ReadScheduledPaymentsDetail',
  'ReadStandingOrdersBasic',
  'ReadStandingOrdersDetail',
  'ReadStatementsBasic',
  'ReadStatementsDetail',
  'ReadTransactionsBasic',
  'ReadTransactionsCredits',
  'ReadTransactionsDebits',
  'ReadTransactionsDetail',
] as const;

export type ObAccountPermission = (typeof OB_ACCOUNT_PERMISSIONS)[number];
