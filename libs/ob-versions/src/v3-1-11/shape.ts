import { DomainError } from '@obc/common';

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The problem for a v4.0 request field a v3.1.11 bank cannot be sent (nothing reaches the bank). */
export function unsupportedByVersion(
  path: string,
  reason = 'has no v3.1.11 equivalent',
): DomainError {
  return new DomainError(
    'bank-profile/unsupported-by-version',
    'unprocessable',
    "The bank's API version cannot carry this request",
    {
      detail: `${path} ${reason}; this bank's profile uses OB v3.1.11 for this API, so the request was not sent. Remove the field or use a bank on v4.0.`,
      errors: [{ field: path, message: reason }],
      extensions: { apiVersion: 'v3.1.11' },
    },
  );
}

/**
 * Which keys a v3.1.11 request may hold: `true` for a leaf (any value), a nested shape for an
 * object (or each element of an array of objects), `'*'` for a free-form object
 * (SupplementaryData). Taken from the v3.1.11 OpenAPI documents; the unit tests check each shape
 * against them.
 */
export type Shape = { readonly [key: string]: Shape | true | '*' };

/** Refuses the first key outside `shape`, naming its path. */
export function assertShape(value: unknown, shape: Shape, path: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertShape(item, shape, `${path}[${i}]`));
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const allowed = shape[key];
    const at = path ? `${path}.${key}` : key;
    if (allowed === undefined) throw unsupportedByVersion(at);
    if (allowed === true || allowed === '*') continue;
    assertShape(child, allowed, at);
  }
}

/** Refuses a string longer than v3.1.11 allows (v4.0 widened several address fields). */
export function assertMaxLength(value: unknown, max: number, path: string): void {
  if (typeof value === 'string' && value.length > max)
    throw unsupportedByVersion(path, `is longer than the ${max} characters v3.1.11 allows`);
}

/** A copy with `key` renamed (when present), keeping the other keys. */
export function renameKey(obj: Json, from: string, to: string): Json {
  if (!(from in obj)) return obj;
  const { [from]: value, ...rest } = obj;
  return { ...rest, [to]: value };
}

/** Applies `fn` to every object in a JSON tree (depth first, children before parents). */
export function mapObjects(
  value: unknown,
  fn: (obj: Json, key: string | undefined) => Json,
  key?: string,
): unknown {
  if (Array.isArray(value)) return value.map((v) => mapObjects(v, fn, key));
  if (!isRecord(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) out[k] = mapObjects(v, fn, k);
  return fn(out, key);
}
