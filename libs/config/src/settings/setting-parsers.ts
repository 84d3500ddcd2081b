import { ConfigSetting, ParseOutcome, SettingValue } from './setting.types';

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** How a rejected value is quoted in an error: secrets are never echoed. */
export function describeRaw(setting: ConfigSetting, raw: unknown): string {
  if (setting.secret) return 'a value that does not fit (not shown: secret)';
  if (typeof raw === 'string') return `'${raw.length > 200 ? `${raw.slice(0, 200)}…` : raw}'`;
  try {
    return JSON.stringify(raw) ?? String(raw);
  } catch {
    return String(raw);
  }
}

/** What a setting expects, in the words used by error messages and the reference doc. */
export function expectation(setting: ConfigSetting): string {
  if (setting.expects) return setting.expects;
  switch (setting.type) {
    case 'integer':
      return `an integer ${setting.min ?? '-∞'}-${setting.max ?? '∞'}`;
    case 'boolean':
      return 'true or false (also 1/0, yes/no, on/off)';
    case 'url':
      return setting.protocols ? `a ${setting.protocols.join(' or ')} URL` : 'an http(s) URL';
    case 'enum':
      return `one of ${(setting.allowed ?? []).join('|')}`;
    case 'string-list':
      return 'a comma-separated list';
    case 'json-object':
      return 'a JSON object';
    case 'base64-key':
      return `base64 of exactly ${setting.min ?? 32} bytes`;
    case 'path':
      return 'a file system path';
    case 'string':
      return setting.allowed ? `one of ${setting.allowed.join('|')}` : 'a non-empty string';
  }
}

function fail(setting: ConfigSetting, raw: unknown): ParseOutcome {
  return {
    ok: false,
    expected: `expected ${expectation(setting)}, got ${describeRaw(setting, raw)}`,
  };
}

function parseInteger(setting: ConfigSetting, raw: unknown): ParseOutcome {
  const n =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && /^-?\d+$/.test(raw.trim())
        ? Number(raw.trim())
        : NaN;
  if (!Number.isSafeInteger(n)) return fail(setting, raw);
  if (setting.min !== undefined && n < setting.min) return fail(setting, raw);
  if (setting.max !== undefined && n > setting.max) return fail(setting, raw);
  return { ok: true, value: n };
}

function parseBoolean(setting: ConfigSetting, raw: unknown): ParseOutcome {
  if (typeof raw === 'boolean') return { ok: true, value: raw };
  const s = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (TRUE.has(s)) return { ok: true, value: true };
  if (FALSE.has(s)) return { ok: true, value: false };
  return fail(setting, raw);
}

function parseUrl(setting: ConfigSetting, raw: unknown): ParseOutcome {
  if (typeof raw !== 'string') return fail(setting, raw);
  const protocols = setting.protocols ?? ['http', 'https'];
  try {
    const url = new URL(raw.trim());
    if (!protocols.includes(url.protocol.replace(/:$/, ''))) return fail(setting, raw);
    return { ok: true, value: raw.trim() };
  } catch {
    return fail(setting, raw);
  }
}

function parseStringList(setting: ConfigSetting, raw: unknown): ParseOutcome {
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
  if (!items || !items.every((i): i is string => typeof i === 'string')) return fail(setting, raw);
  return { ok: true, value: items.map((i) => i.trim()).filter((i) => i.length > 0) };
}

function parseJsonObject(setting: ConfigSetting, raw: unknown): ParseOutcome {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (e) {
      return {
        ok: false,
        expected: `expected ${expectation(setting)}, got invalid JSON (${(e as Error).message})`,
      };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail(setting, raw);
  return { ok: true, value: value as Record<string, unknown> };
}

function parseBase64Key(setting: ConfigSetting, raw: unknown): ParseOutcome {
  const bytes = setting.min ?? 32;
  if (typeof raw !== 'string' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw.trim())) {
    return {
      ok: false,
      expected: `expected base64 of exactly ${bytes} bytes, got ${describeRaw(setting, raw)}`,
    };
  }
  const buf = Buffer.from(
    raw.trim(),
    raw.includes('-') || raw.includes('_') ? 'base64url' : 'base64',
  );
  if (buf.length !== bytes) {
    return {
      ok: false,
      expected: `expected base64 of exactly ${bytes} bytes, got ${buf.length} bytes`,
    };
  }
  return { ok: true, value: buf };
}

function parseString(setting: ConfigSetting, raw: unknown): ParseOutcome {
  const s = typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : raw;
  if (typeof s !== 'string' || s.trim() === '') return fail(setting, raw);
  if (setting.allowed && !setting.allowed.includes(s.trim())) return fail(setting, raw);
  return { ok: true, value: s.trim() };
}

/** Parses a raw value (string from the environment, or any JSON value from the file). */
export function parseSettingValue(setting: ConfigSetting, raw: unknown): ParseOutcome {
  let outcome: ParseOutcome;
  switch (setting.type) {
    case 'integer':
      outcome = parseInteger(setting, raw);
      break;
    case 'boolean':
      outcome = parseBoolean(setting, raw);
      break;
    case 'url':
      outcome = parseUrl(setting, raw);
      break;
    case 'enum': {
      const s = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
      outcome =
        typeof s === 'string' && setting.allowed?.includes(s)
          ? { ok: true, value: s }
          : fail(setting, raw);
      break;
    }
    case 'string-list':
      outcome = parseStringList(setting, raw);
      break;
    case 'json-object':
      outcome = parseJsonObject(setting, raw);
      break;
    case 'base64-key':
      outcome = parseBase64Key(setting, raw);
      break;
    case 'path':
    case 'string':
      outcome = parseString(setting, raw);
      break;
  }
  if (outcome.ok && setting.refine) return setting.refine(outcome.value as SettingValue);
  return outcome;
}
