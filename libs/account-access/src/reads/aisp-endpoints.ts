/**
 * Every AISP read the connector serves: its name and the bank path under the Account and
 * Transaction API base. The connector's path is `/v1/aisp` + the same path (so the bank's Links
 * map onto it); `{accountId}` and `{statementId}` are filled from the route.
 */
export const AISP_READ_ENDPOINTS = {
  accounts: '/accounts',
  account: '/accounts/{accountId}',
  balances: '/balances',
  accountBalances: '/accounts/{accountId}/balances',
  transactions: '/transactions',
  accountTransactions: '/accounts/{accountId}/transactions',
  beneficiaries: '/beneficiaries',
  accountBeneficiaries: '/accounts/{accountId}/beneficiaries',
  directDebits: '/direct-debits',
  accountDirectDebits: '/accounts/{accountId}/direct-debits',
  standingOrders: '/standing-orders',
  accountStandingOrders: '/accounts/{accountId}/standing-orders',
  scheduledPayments: '/scheduled-payments',
  accountScheduledPayments: '/accounts/{accountId}/scheduled-payments',
  statements: '/statements',
  accountStatements: '/accounts/{accountId}/statements',
  accountStatement: '/accounts/{accountId}/statements/{statementId}',
  accountStatementTransactions: '/accounts/{accountId}/statements/{statementId}/transactions',
  products: '/products',
  // v4.0 names the per-account resource `product` (singular).
  accountProduct: '/accounts/{accountId}/product',
  offers: '/offers',
  accountOffers: '/accounts/{accountId}/offers',
  party: '/party',
  accountParty: '/accounts/{accountId}/party',
  accountParties: '/accounts/{accountId}/parties',
} as const;

export type AispReadEndpoint = keyof typeof AISP_READ_ENDPOINTS;

export interface AispPathParams {
  accountId?: string;
  statementId?: string;
}

/** First path segments of AISP resources, to find the resource in a link on an unexpected path. */
export const AISP_RESOURCE_SEGMENTS = [
  'accounts',
  'balances',
  'transactions',
  'beneficiaries',
  'direct-debits',
  'standing-orders',
  'scheduled-payments',
  'statements',
  'products',
  'offers',
  'party',
] as const;
