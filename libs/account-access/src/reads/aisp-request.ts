import { ValidationError } from '@obc/common';
import { AISP_READ_ENDPOINTS, AispPathParams, AispReadEndpoint } from './aisp-endpoints';

// Ids are opaque bank values: anything visible except what would change the path or query.
const PATH_ID = /^[^/?#%\\\s\p{Cc}]{1,128}$/u;
const QUERY_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;
const MAX_QUERY_VALUE = 512;
const MAX_QUERY_PARAMS = 20;

/** The bank path of an endpoint, its ids validated and percent-encoded. */
export function bankPath(endpoint: AispReadEndpoint, params: AispPathParams): string {
  return AISP_READ_ENDPOINTS[endpoint].replace(/\{(accountId|statementId)\}/g, (_, name) => {
    const key = name as keyof AispPathParams;
    const value = params[key];
    if (value === undefined || !PATH_ID.test(value) || value === '.' || value === '..') {
      throw new ValidationError(`${key} is not a valid identifier.`, [
        { field: key, message: 'must be 1 to 128 characters without / ? # % \\ or spaces' },
      ]);
    }
    return encodeURIComponent(value);
  });
}

/**
 * The caller's query string for the bank (fromBookingDateTime, toBookingDateTime, page, ...):
 * simple name=value pairs only, re-encoded, so nothing can reach the bank's path or add
 * structure. Empty string when there is none.
 */
export function bankQueryString(query: Record<string, unknown>): string {
  const entries = Object.entries(query);
  const errors = entries.flatMap(([name, value]) => {
    if (!QUERY_NAME.test(name))
      return [{ field: `query.${name}`, message: 'unsupported parameter name' }];
    if (typeof value !== 'string')
      return [{ field: `query.${name}`, message: 'must be given once, as a simple string' }];
    if (value.length > MAX_QUERY_VALUE || /\p{Cc}/u.test(value))
      return [
        {
          field: `query.${name}`,
          message: `must be at most ${MAX_QUERY_VALUE} printable characters`,
        },
      ];
    return [];
  });
  if (entries.length > MAX_QUERY_PARAMS)
    errors.push({ field: 'query', message: `at most ${MAX_QUERY_PARAMS} parameters` });
  if (errors.length > 0) {
    throw new ValidationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }
  const search = new URLSearchParams();
  for (const [name, value] of entries) search.append(name, value as string);
  return search.toString();
}
