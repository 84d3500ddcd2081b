import { assertInstructedAmount } from './money';

describe('assertInstructedAmount', () => {
  it.each([
    [{ Amount: '10.50', Currency: 'GBP' }, undefined],
    [{ Amount: '0.01', Currency: 'EUR' }, undefined],
    [{ Amount: '-1.00', Currency: 'GBP' }, 'payment/invalid-amount'],
    [{ Amount: '0.00', Currency: 'GBP' }, 'payment/invalid-amount'],
    [{ Amount: 'ten', Currency: 'GBP' }, 'payment/invalid-amount'],
    [{ Amount: 10.5, Currency: 'GBP' }, 'payment/invalid-amount'],
    [{ Amount: '1.123456', Currency: 'GBP' }, 'payment/invalid-amount'],
    [{ Amount: '1.00', Currency: 'GPB' }, 'payment/unknown-currency'],
    [{ Amount: '1.00' }, 'payment/unknown-currency'],
  ])('%j → %s', (amount, code) => {
    if (code === undefined) expect(() => assertInstructedAmount(amount, 'x')).not.toThrow();
    else
      expect(() => assertInstructedAmount(amount, 'x')).toThrow(expect.objectContaining({ code }));
  });
});
