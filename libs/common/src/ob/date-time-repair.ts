/**
 * Date-time repair for banks that break the OB ISODateTime rule (profile quirk
 * `quirks.responses.repairDateTimes`): a date-time without an offset, with a space for 'T' or
 * with fractional seconds becomes `YYYY-MM-DDTHH:mm:ss±hh:mm`; a value without an offset is taken
 * as UTC (+00:00). Only string members whose name ends in `DateTime` are touched, and only when
 * they parse as a date-time; anything else is left exactly as the bank sent it.
 */
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|z|[+-]\d{2}:?\d{2})?$/;

/** One value repaired, or the value unchanged when it is not a date-time this can read. */
export function repairDateTime(value: string): string {
  const match = DATE_TIME.exec(value.trim());
  if (!match) return value;
  const [, date, hoursMinutes, seconds, zone] = match;
  const offset =
    zone === undefined || zone === 'Z' || zone === 'z'
      ? '+00:00'
      : zone.includes(':')
        ? zone
        : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const repaired = `${date}T${hoursMinutes}:${seconds ?? '00'}${offset}`;
  // A calendar-impossible value (2024-02-31) is not ours to guess at.
  return isCalendarDate(date) ? repaired : value;
}

function isCalendarDate(date: string): boolean {
  const [year, month, day] = date.split('-').map(Number);
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
}

/** A copy of an OB body with every `*DateTime` string member repaired, at any depth. */
export function repairDateTimes<T>(body: T): T {
  return repair(body) as T;
}

function repair(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(repair);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    out[key] =
      typeof value === 'string' && key.endsWith('DateTime') ? repairDateTime(value) : repair(value);
  }
  return out;
}

/** Whether a value reads as a date-time at all (any of the forms repairDateTime reads). */
export function isDateTime(value: string): boolean {
  const match = DATE_TIME.exec(value.trim());
  return match !== null && isCalendarDate(match[1]);
}

/**
 * A copy of an OB body without the `*DateTime` string members that are not a date-time at all
 * (profile quirk `quirks.responses.invalidDateTimes: 'drop'`, e.g. Lloyds Banking Group's
 * direct-debit PreviousPaymentDateTime): such a member reads as absent. Date-times in a broken
 * but readable form are kept (repairDateTimes is what fixes those).
 */
export function dropInvalidDateTimes<T>(body: T): T {
  return drop(body) as T;
}

function drop(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(drop);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (typeof value === 'string' && key.endsWith('DateTime')) {
      if (isDateTime(value)) out[key] = value;
    } else out[key] = drop(value);
  }
  return out;
}

/** The profile's date-time repairs (`quirks.responses`), structurally, for the bank clients. */
export interface DateTimeRepairQuirks {
  repairDateTimes: boolean;
  invalidDateTimes: 'keep' | 'drop';
}

/** A bank's response body with the profile's date-time repairs applied (the body itself when none). */
export function repairResponseDateTimes<T>(body: T, quirks: DateTimeRepairQuirks): T {
  const dropped = quirks.invalidDateTimes === 'drop' ? dropInvalidDateTimes(body) : body;
  return quirks.repairDateTimes ? repairDateTimes(dropped) : dropped;
}
