import { INTENT_ID_CLAIM } from './access-token-verifier';

/**
 * The consent id an OIDC `claims` request names in `id_token.openbanking_intent_id.value`
 * (an object in a request object, a JSON string in oidc-provider's params).
 */
export function intentIdFromClaims(claims: unknown): string | undefined {
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
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
