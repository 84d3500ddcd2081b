const DAY = 86_400_000;

export interface PeriodicLimit {
  PeriodType: 'Day' | 'Week' | 'Fortnight' | 'Month' | 'Half-year' | 'Year';
  PeriodAlignment: 'Consent' | 'Calendar';
  Amount: string;
  Currency: string;
}

const MONTHS: Record<string, number> = { Month: 1, 'Half-year': 6, Year: 12 };
const DAYS: Record<string, number> = { Day: 1, Week: 7, Fortnight: 14 };

/**
 * Start of the period `at` falls in (UTC). Consent-aligned periods count whole periods from the
 * consent's creation; calendar-aligned ones start at the day, ISO week (Monday), month, half-year
 * (January/July) or year. A calendar Fortnight is not defined by the spec, so it is consent-aligned.
 */
export function periodStart(limit: PeriodicLimit, consentCreated: Date, at: Date): Date {
  const calendar = limit.PeriodAlignment === 'Calendar' && limit.PeriodType !== 'Fortnight';
  if (calendar) {
    const y = at.getUTCFullYear();
    const m = at.getUTCMonth();
    const dayStart = Date.UTC(y, m, at.getUTCDate());
    switch (limit.PeriodType) {
      case 'Day':
        return new Date(dayStart);
      case 'Week':
        return new Date(dayStart - ((at.getUTCDay() + 6) % 7) * DAY);
      case 'Month':
        return new Date(Date.UTC(y, m, 1));
      case 'Half-year':
        return new Date(Date.UTC(y, m < 6 ? 0 : 6, 1));
      default:
        return new Date(Date.UTC(y, 0, 1));
    }
  }
  const days = DAYS[limit.PeriodType];
  if (days !== undefined) {
    const length = days * DAY;
    const n = Math.floor((at.getTime() - consentCreated.getTime()) / length);
    return new Date(consentCreated.getTime() + Math.max(0, n) * length);
  }
  const step = MONTHS[limit.PeriodType];
  let start = new Date(consentCreated);
  for (let k = 1; ; k++) {
    const next = addMonths(consentCreated, k * step);
    if (next.getTime() > at.getTime()) return start;
    start = next;
  }
}

function addMonths(d: Date, months: number): Date {
  const out = new Date(d);
  out.setUTCMonth(out.getUTCMonth() + months);
  return out;
}

/** Pence, so sums of decimal strings stay exact. */
export function toMinor(amount: string): number {
  return Math.round(Number(amount) * 100);
}
