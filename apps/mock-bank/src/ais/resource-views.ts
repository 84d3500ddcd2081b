/** Fields only a `…Detail` permission may see (identifications of counterparties, narrative). */
const DETAIL_ONLY: Record<string, string[]> = {
  accounts: ['Account', 'Servicer'],
  transactions: [
    'TransactionInformation',
    'Balance',
    'MerchantDetails',
    'CreditorAgent',
    'CreditorAccount',
    'DebtorAgent',
    'DebtorAccount',
    'UltimateCreditor',
    'UltimateDebtor',
  ],
  beneficiaries: ['CreditorAgent', 'CreditorAccount'],
  'standing-orders': ['CreditorAgent', 'CreditorAccount'],
  'scheduled-payments': ['CreditorAgent', 'CreditorAccount'],
  statements: ['StatementAmount'],
};

export function basicView(
  resource: string,
  item: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...item };
  for (const key of DETAIL_ONLY[resource] ?? []) delete out[key];
  return out;
}
