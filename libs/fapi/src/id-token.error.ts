import { DomainError } from '@obc/common';

export type IdTokenErrorCode =
  | 'id-token/malformed'
  | 'id-token/unsupported-alg'
  | 'id-token/invalid-signature'
  | 'id-token/wrong-issuer'
  | 'id-token/wrong-audience'
  | 'id-token/expired'
  | 'id-token/issued-too-long-ago'
  | 'id-token/not-yet-valid'
  | 'id-token/nonce-mismatch'
  | 'id-token/missing-nonce'
  | 'id-token/c-hash-mismatch'
  | 'id-token/missing-c-hash'
  | 'id-token/s-hash-mismatch'
  | 'id-token/missing-s-hash'
  | 'id-token/at-hash-mismatch'
  | 'id-token/intent-id-mismatch'
  | 'id-token/wrong-subject'
  | 'id-token/missing-acr'
  | 'id-token/missing-auth-time';

/**
 * The bank's ID token failed a check. The detail names the check, never the token or a claim
 * value that could identify the PSU.
 */
export class IdTokenError extends DomainError {
  constructor(
    override readonly code: IdTokenErrorCode,
    detail: string,
    cause?: unknown,
  ) {
    super(code, 'validation', 'The ID token from the bank is not valid', { detail, cause });
  }
}
