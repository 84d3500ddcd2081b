/**
 * Redaction for anything that may reach a log line: tokens, keys, secrets and personal data are
 * replaced by a marker. Keys are matched case-insensitively, at any depth.
 */
export const REDACTED = '[redacted]';

const SENSITIVE_KEY =
  /^(authorization|cookie|set-cookie|access_?token|refresh_?token|id_?token|token|client_?secret|secret|password|private_?key|client_assertion|assertion|code|code_verifier|registration_access_token|software_statement|ssa|request|x-jws-signature|account_?number|identification|secondary_?identification|name|email|phone|address|address_?line|post_?code|iban|sort_?code|pan)$/i;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

export function redact<T>(value: T, depth = 0): T {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1)) as unknown as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = isSensitiveKey(k) ? REDACTED : redact(v, depth + 1);
  }
  return out as T;
}

/** The path only: query strings can carry codes and tokens. */
export function redactUrl(url: string): string {
  return url.split('?')[0];
}
