import { ValidationError } from '@obc/common';
import { bankPath, bankQueryString } from './aisp-request';

describe('bankPath', () => {
  it('fills and encodes ids', () => {
    expect(
      bankPath('accountStatementTransactions', {
        accountId: 'a 1'.replace(' ', ':'),
        statementId: 's1',
      }),
    ).toBe('/accounts/a%3A1/statements/s1/transactions');
  });

  it.each(['..', '.', 'a/b', 'a?b', 'a#b', 'a%2F', ''])('refuses the id %j', (id) => {
    expect(() => bankPath('account', { accountId: id })).toThrow(ValidationError);
  });
});

describe('bankQueryString', () => {
  it('passes simple parameters through, encoded', () => {
    expect(bankQueryString({ fromBookingDateTime: '2024-01-01T00:00:00+00:00', page: '2' })).toBe(
      'fromBookingDateTime=2024-01-01T00%3A00%3A00%2B00%3A00&page=2',
    );
    expect(bankQueryString({})).toBe('');
  });

  it('cannot inject into the query or path', () => {
    expect(bankQueryString({ page: '2&x=1/../../y' })).toBe('page=2%26x%3D1%2F..%2F..%2Fy');
  });

  it.each([
    [{ page: ['1', '2'] }],
    [{ page: { a: '1' } }],
    [{ 'bad name': '1' }],
    [{ page: 'a\nb' }],
  ])('refuses %j', (query) => {
    expect(() => bankQueryString(query)).toThrow(ValidationError);
  });
});
