import {
  dropInvalidDateTimes,
  repairDateTime,
  repairDateTimes,
  repairResponseDateTimes,
} from './date-time-repair';

describe('date-time repair (quirks.responses.repairDateTimes)', () => {
  it.each([
    ['2026-12-06T10:15:30', '2026-12-06T10:15:30+00:00'],
    ['2026-12-06 10:15:30', '2026-12-06T10:15:30+00:00'],
    ['2026-12-06T10:15:30.123Z', '2026-12-06T10:15:30+00:00'],
    ['2026-12-06T10:15:30.5+01:00', '2026-12-06T10:15:30+01:00'],
    ['2026-12-06T10:15:30+0100', '2026-12-06T10:15:30+01:00'],
    ['2026-12-06T10:15', '2026-12-06T10:15:00+00:00'],
    ['2026-12-06T10:15:30+00:00', '2026-12-06T10:15:30+00:00'],
  ])('%s becomes %s', (input, expected) => {
    expect(repairDateTime(input)).toBe(expected);
  });

  it.each(['2026-12-06', 'yesterday', '2026-02-31T10:00:00', ''])(
    'leaves %j alone (not a date-time it can read)',
    (input) => {
      expect(repairDateTime(input)).toBe(input);
    },
  );

  it('repairs *DateTime members at any depth and nothing else', () => {
    const body = {
      Data: {
        CreationDateTime: '2026-12-06T10:15:30.123',
        Transaction: [
          { BookingDateTime: '2026-12-05 09:00:00', TransactionInformation: '2026-12-05T09:00:00' },
        ],
        Status: 'AWAU',
      },
      Meta: { FirstAvailableDateTime: '2026-01-01T00:00:00Z', TotalPages: 1 },
    };
    expect(repairDateTimes(body)).toEqual({
      Data: {
        CreationDateTime: '2026-12-06T10:15:30+00:00',
        Transaction: [
          {
            BookingDateTime: '2026-12-05T09:00:00+00:00',
            TransactionInformation: '2026-12-05T09:00:00',
          },
        ],
        Status: 'AWAU',
      },
      Meta: { FirstAvailableDateTime: '2026-01-01T00:00:00+00:00', TotalPages: 1 },
    });
    // A copy: the bank's body is not modified.
    expect(body.Data.CreationDateTime).toBe('2026-12-06T10:15:30.123');
  });
});

describe("invalid date-times dropped (quirks.responses.invalidDateTimes 'drop')", () => {
  const body = {
    Data: {
      DirectDebit: [
        {
          DirectDebitId: 'dd-1',
          PreviousPaymentDateTime: '0000-00-00T00:00:00+00:00',
          PreviousPaymentAmount: { Amount: '10.00', Currency: 'GBP' },
        },
        { DirectDebitId: 'dd-2', PreviousPaymentDateTime: 'Invalid date' },
        { DirectDebitId: 'dd-3', PreviousPaymentDateTime: '2026-11-30T00:00:00+00:00' },
        { DirectDebitId: 'dd-4', PreviousPaymentDateTime: '2026-11-30 09:15:00.123' },
      ],
    },
  };

  it('removes only the *DateTime members that are no date-time at all, at any depth', () => {
    expect(dropInvalidDateTimes(body)).toEqual({
      Data: {
        DirectDebit: [
          { DirectDebitId: 'dd-1', PreviousPaymentAmount: { Amount: '10.00', Currency: 'GBP' } },
          { DirectDebitId: 'dd-2' },
          { DirectDebitId: 'dd-3', PreviousPaymentDateTime: '2026-11-30T00:00:00+00:00' },
          { DirectDebitId: 'dd-4', PreviousPaymentDateTime: '2026-11-30 09:15:00.123' },
        ],
      },
    });
  });

  it("applies the profile's repairs: none, drop, repair, or both", () => {
    expect(
      repairResponseDateTimes(body, { repairDateTimes: false, invalidDateTimes: 'keep' }),
    ).toBe(body);
    const both = repairResponseDateTimes(body, { repairDateTimes: true, invalidDateTimes: 'drop' });
    expect(both.Data.DirectDebit.map((d) => d.PreviousPaymentDateTime)).toEqual([
      undefined,
      undefined,
      '2026-11-30T00:00:00+00:00',
      '2026-11-30T09:15:00+00:00',
    ]);
    const repairOnly = repairResponseDateTimes(body, {
      repairDateTimes: true,
      invalidDateTimes: 'keep',
    });
    expect(repairOnly.Data.DirectDebit[1].PreviousPaymentDateTime).toBe('Invalid date');
  });
});
