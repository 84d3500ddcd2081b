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
 * Another caller (this replica or another) holds the consent token's row lock, refreshing it,
 * for longer than TOKEN_REFRESH_LOCK_WAIT_SECONDS: a hung process or a bank that is very slow
 * to answer. Retrying later is safe; nothing was changed.
 */
export class ConsentTokenBusyError extends DomainError {
  constructor(detail: string, cause?: unknown) {
    super(
      'consent/token-refresh-busy',
      'unavailable',
      'The consent token is being refreshed elsewhere',
      { detail, cause },
    );
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
