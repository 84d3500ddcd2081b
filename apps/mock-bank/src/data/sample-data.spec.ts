import { join } from 'node:path';
import { SpecValidator } from '../spec-validation/spec-validator';
import { SPECS_DIR } from '../testing/test-bank';
import { sampleAccounts, sampleParty } from './sample-data';

const links = { Self: 'https://localhost/x' };
const meta = { TotalPages: 1 };

describe('sample data', () => {
  const spec = SpecValidator.load(join(SPECS_DIR, 'v4.0/account-info-openapi.json'), {
    expectedOperations: [],
  });
  const now = new Date('2025-06-15T10:00:00Z');
  const accounts = sampleAccounts(now);

  it('is deterministic and has enough transactions for two pages of 50', () => {
    expect(sampleAccounts(now)).toEqual(accounts);
    expect(accounts.length).toBeGreaterThanOrEqual(3);
    const tx = accounts[0].transactions;
    expect(tx.length).toBeGreaterThanOrEqual(120);
    const times = tx.map((t) => Date.parse(t.BookingDateTime as string));
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(80 * 86_400_000);
  });

  it.each([
    ['GetAccounts', 'Account', (a: (typeof accounts)[0]) => [a.account]],
    ['GetBalances', 'Balance', (a: (typeof accounts)[0]) => a.balances],
    ['GetTransactions', 'Transaction', (a: (typeof accounts)[0]) => a.transactions],
    ['GetBeneficiaries', 'Beneficiary', (a: (typeof accounts)[0]) => a.beneficiaries],
    ['GetDirectDebits', 'DirectDebit', (a: (typeof accounts)[0]) => a.directDebits],
    ['GetStandingOrders', 'StandingOrder', (a: (typeof accounts)[0]) => a.standingOrders],
    ['GetScheduledPayments', 'ScheduledPayment', (a: (typeof accounts)[0]) => a.scheduledPayments],
    ['GetStatements', 'Statement', (a: (typeof accounts)[0]) => a.statements],
    ['GetProducts', 'Product', (a: (typeof accounts)[0]) => [a.product]],
    ['GetOffers', 'Offer', (a: (typeof accounts)[0]) => a.offers],
    ['GetAccountsAccountIdParties', 'Party', (a: (typeof accounts)[0]) => a.parties],
  ])('%s data is valid OB v4.0', (operationId, key, pick) => {
    const body = { Data: { [key]: accounts.flatMap(pick) }, Links: links, Meta: meta };
    expect(spec.validateResponse(operationId, 200, body)).toEqual([]);
  });

  it('party is valid OB v4.0', () => {
    const body = { Data: { Party: sampleParty }, Links: links, Meta: meta };
    expect(spec.validateResponse('GetParty', 200, body)).toEqual([]);
  });
});
