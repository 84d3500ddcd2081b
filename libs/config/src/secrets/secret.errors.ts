import { DomainError } from '@obc/common';
import { SecretRef } from './secret-ref';

/** The referenced secret does not exist. Names the reference, never a value. */
export class SecretNotFoundError extends DomainError {
  constructor(ref: SecretRef, why: string) {
    super('secret/not-found', 'validation', 'Secret not found', {
      detail: `No secret '${ref.name}' in source '${ref.source}': ${why}.`,
      extensions: { secretSource: ref.source, secretName: ref.name },
    });
  }
}

/** The reference itself is not acceptable (e.g. a file path climbing with '..'). */
export class InvalidSecretRefError extends DomainError {
  constructor(ref: SecretRef, why: string) {
    super('secret/invalid-reference', 'validation', 'Secret reference not valid', {
      detail: `Secret reference '${ref.source}:${ref.name}' is not valid: ${why}.`,
      extensions: { secretSource: ref.source, secretName: ref.name },
    });
  }
}

/** The secret store could not be read (permissions, network): not the caller's fault. */
export class SecretUnavailableError extends DomainError {
  constructor(ref: SecretRef, why: string, cause?: unknown) {
    super('secret/unavailable', 'unavailable', 'Secret store unavailable', {
      detail: `Could not read secret '${ref.name}' from source '${ref.source}': ${why}.`,
      extensions: { secretSource: ref.source, secretName: ref.name },
      cause,
    });
  }
}
