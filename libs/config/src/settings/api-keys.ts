import { ParseOutcome, SettingValue } from './setting.types';

export const MIN_API_KEY_LENGTH = 24;

/** Caller API keys: short keys are guessable, so each must be at least 24 characters. */
export function refineApiKeys(value: SettingValue): ParseOutcome {
  const keys = value as readonly string[];
  if (keys.length === 0)
    return { ok: false, expected: 'expected at least one API key, got an empty list' };
  const short = keys
    .map((k, i) => ({ i, len: k.length }))
    .filter((k) => k.len < MIN_API_KEY_LENGTH);
  if (short.length) {
    const which = short.map((k) => `key ${k.i + 1} has ${k.len}`).join(', ');
    return {
      ok: false,
      expected: `expected each API key to be at least ${MIN_API_KEY_LENGTH} characters (${which})`,
    };
  }
  return { ok: true, value: [...new Set(keys)] };
}
