import { repairDateTime, repairDateTimes } from './date-time-repair';

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
