/**
 * The scope with `openid` first: UK OB consent authorisation is an OpenID Connect request (the
 * ID token carries the intent id), so a scope without it would be refused by the bank later and
 * more obscurely.
 */
export function ensureOpenidScope(scope: string): string {
  const parts = scope.split(/\s+/).filter((s) => s.length > 0);
  const rest = parts.filter((s) => s !== 'openid');
  return ['openid', ...new Set(rest)].join(' ');
}
