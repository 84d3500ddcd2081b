import { BankCallError } from '@obc/common';
import type { ClientContext, ConsentTokenService } from '@obc/token-management';
import { vrpConsentRef } from '../vrp.ports';

/**
 * Runs a bank call with the consent's access token (refreshed as needed: a VRP consent is used
 * for months). If the bank refuses a token we thought valid (401: revoked or expired early), the
 * token is retired and the call made once more with a fresh one; a 401 means the bank did not
 * act, so repeating it (with the same x-idempotency-key) cannot pay twice.
 */
export async function withConsentToken<T>(
  tokens: Pick<ConsentTokenService, 'getAccessToken' | 'invalidate'>,
  consentId: string,
  client: ClientContext,
  call: (accessToken: string) => Promise<T>,
): Promise<T> {
  const ref = vrpConsentRef(consentId);
  const token = await tokens.getAccessToken(ref, client);
  try {
    return await call(token);
  } catch (error: unknown) {
    if (!(error instanceof BankCallError) || error.bank?.status !== 401) throw error;
    await tokens.invalidate(ref, token);
    return call(await tokens.getAccessToken(ref, client));
  }
}
