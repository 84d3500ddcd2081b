import { DomainError } from '@obc/common';

/**
 * The bank no longer honours the PSU's authorisation of a consent (`invalid_grant`: the code was
 * used or is stale, or the PSU or bank revoked the consent). Only a new authorisation helps.
 */
export class ConsentGrantError extends DomainError {
  constructor(detail: string, cause?: unknown) {
    super('consent/not-authorised', 'forbidden', 'The consent is not authorised at the bank', {
      detail,
      cause,
    });
  }
}

/**
 * The consent's access token expired and there is no refresh token to renew it. 'forbidden'
 * like ConsentGrantError: the request is well-formed, the PSU must authorise the consent again.
 */
export class ConsentExpiredError extends DomainError {
  constructor(detail: string) {
    super('consent/expired', 'forbidden', 'The consent authorisation has expired', { detail });
  }
}
