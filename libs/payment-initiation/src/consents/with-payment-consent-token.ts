import { BankCallError } from '@obc/common';
import type { ClientContext } from '@obc/token-management';
import { paymentConsentRef, type PaymentConsentTokens } from '../payment-initiation.ports';

/**
 * Runs a bank call with the payment consent's access token, read from the encrypted store (any
 * replica can serve it). If the bank refuses a token we thought valid (401: expired early or
 * revoked), the token is retired and the call made once more with a fresh one; without a refresh
 * token (quirks.tokenEndpoint.noRefreshTokenForPayments) that fails with `consent/expired`,
 * which tells the caller the PSU must authorise the consent again. A 401 means the bank did not
 * act, so the repeat (with the same x-idempotency-key) cannot pay twice.
 */
export async function withPaymentConsentToken<T>(
  tokens: PaymentConsentTokens,
  consentId: string,
  client: ClientContext,
  call: (accessToken: string) => Promise<T>,
): Promise<T> {
  const ref = paymentConsentRef(consentId);
  const token = await tokens.getAccessToken(ref, client);
  try {
    return await call(token);
  } catch (error: unknown) {
    if (!(error instanceof BankCallError) || error.bank?.status !== 401) throw error;
    await tokens.invalidate(ref, token);
    return call(await tokens.getAccessToken(ref, client));
  }
}
