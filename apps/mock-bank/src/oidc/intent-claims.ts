import { INTENT_ID_CLAIM } from './access-token-verifier';

/**
 * The consent id an OIDC `claims` request names in `id_token.openbanking_intent_id.value`
 * (an object in a request object, a JSON string in oidc-provider's params), without the bank's
 * `prefix` (quirk authorisation.intentIdPrefix); undefined when the value lacks the prefix.
 */
export function intentIdFromClaims(claims: unknown, prefix = ''): string | undefined {
  let parsed: unknown = claims;
  if (typeof claims === 'string') {
    try {
      parsed = JSON.parse(claims);
    } catch {
      return undefined;
    }
  }
  const idToken = (parsed as { id_token?: Record<string, { value?: unknown }> } | undefined)
    ?.id_token;
  const value = idToken?.[INTENT_ID_CLAIM]?.value;
  // Quirk authorisation.intentIdPrefix: only a value with the bank's prefix names a consent.
  if (typeof value !== 'string' || !value.startsWith(prefix)) return undefined;
  const id = value.slice(prefix.length);
  return id.length > 0 ? id : undefined;
}
