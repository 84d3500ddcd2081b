import { DomainError } from '@obc/common';

/** The bank's JWKS has no usable signing key with that kid, even after a refetch. */
export class JwksKeyNotFoundError extends DomainError {
  constructor(jwksUri: string, kid: string | undefined) {
    super('jwks/unknown-key', 'validation', 'No matching key in the bank JWKS', {
      detail:
        kid === undefined
          ? `The token names no kid and the JWKS at ${jwksUri} does not hold exactly one RSA signing key.`
          : `The JWKS at ${jwksUri} holds no RSA signing key with kid '${kid}'.`,
      extensions: { jwksUri, kid },
    });
  }
}

/** The bank's JWKS endpoint answered something that is not a JWK set. */
export class JwksInvalidError extends DomainError {
  constructor(jwksUri: string, reason: string) {
    super('jwks/invalid', 'bank-failure', 'The bank JWKS is not a valid JWK set', {
      detail: `The JWKS at ${jwksUri} could not be used: ${reason}.`,
      extensions: { jwksUri },
    });
  }
}
