/** Which consent permissions let a TPP read each AIS resource (OB v4.0 AIS permission table). */
export const RESOURCE_PERMISSIONS: Record<string, string[]> = {
  accounts: ['ReadAccountsBasic', 'ReadAccountsDetail'],
  balances: ['ReadBalances'],
  transactions: ['ReadTransactionsBasic', 'ReadTransactionsDetail'],
  beneficiaries: ['ReadBeneficiariesBasic', 'ReadBeneficiariesDetail'],
  'direct-debits': ['ReadDirectDebits'],
  'standing-orders': ['ReadStandingOrdersBasic', 'ReadStandingOrdersDetail'],
  'scheduled-payments': ['ReadScheduledPaymentsBasic', 'ReadScheduledPaymentsDetail'],
  statements: ['ReadStatementsBasic', 'ReadStatementsDetail'],
  product: ['ReadProducts'],
  products: ['ReadProducts'],
  offers: ['ReadOffers'],
  parties: ['ReadParty'],
  party: ['ReadParty', 'ReadPartyPSU'],
};

/** Transactions also need to know which directions were consented to. */
export function transactionDirections(permissions: string[]): {
  credits: boolean;
  debits: boolean;
} {
  return {
    credits: permissions.includes('ReadTransactionsCredits'),
    debits: permissions.includes('ReadTransactionsDebits'),
  };
}
