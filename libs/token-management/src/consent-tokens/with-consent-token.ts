import { BankCallError } from '@obc/common';
import type { ClientContext } from '../client-context';
import type { ConsentRef } from './consent-ref';

/** The part of ConsentTokenService (or a lib's port of it) a consent-token call needs. */
export interface ConsentAccessTokens<R extends ConsentRef> {
  getAccessToken(ref: R, client: ClientContext): Promise<string>;
  /** The bank refused this access token (401): retire it so the next use refreshes it. */
  invalidate(ref: R, rejectedAccessToken: string): Promise<void>;
}

/**
 * Runs a bank call with the consent's access token (from the encrypted store, refreshed as
 * needed, so any replica can serve it). If the bank refuses a token we thought valid (401:
 * expired early or revoked), the token is retired and the call made once more with a fresh one;
 * without a refresh token (quirks.tokenEndpoint.noRefreshTokenForPayments) that fails with
 * `consent/expired`. A 401 means the bank did not act, so the repeat (with the same
 * x-idempotency-key) cannot pay twice.
 */
export async function withConsentToken<R extends ConsentRef, T>(
  tokens: ConsentAccessTokens<R>,
  ref: R,
  client: ClientContext,
  call: (accessToken: string) => Promise<T>,
): Promise<T> {
  const token = await tokens.getAccessToken(ref, client);
  try {
    return await call(token);
  } catch (error: unknown) {
    if (!(error instanceof BankCallError) || error.bank?.status !== 401) throw error;
    await tokens.invalidate(ref, token);
    return call(await tokens.getAccessToken(ref, client));
  }
}
