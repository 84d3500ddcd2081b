import { DomainError } from '@obc/common';

export type DetachedJwsErrorCode = 'jws/invalid' | 'jws/missing';

/**
 * A bank's response signature (`x-jws-signature`) is absent or fails a check. It is the bank's
 * fault, hence 'bank-failure'. The detail names the failed check, never the payload.
 */
export class DetachedJwsError extends DomainError {
  constructor(
    override readonly code: DetachedJwsErrorCode,
    detail: string,
    cause?: unknown,
  ) {
    super(
      code,
      'bank-failure',
      code === 'jws/missing'
        ? 'The bank response carries no message signature'
        : 'The bank response signature is not valid',
      { detail, cause },
    );
  }
}
