import { DomainError } from '@obc/common';
import type { EncryptionAad } from './encryption.types';

/** Nothing to encrypt with: neither a current key row nor ENCRYPTION_KEY. */
export class NoEncryptionKeyError extends DomainError {
  constructor() {
    super('encryption/no-key', 'conflict', 'No encryption key is configured', {
      detail:
        'The connector must store a secret encrypted but has no encryption key. Set ENCRYPTION_KEY ' +
        '(base64 of 32 random bytes, e.g. `openssl rand -base64 32`) or register a key with ' +
        'POST /v1/manage/encryption-keys.',
    });
  }
}

/** A stored value did not authenticate. The value itself is never part of the error. */
export class DecryptFailedError extends DomainError {
  constructor(aad: EncryptionAad, reason: string) {
    super('encryption/decrypt-failed', 'internal', 'A stored value could not be decrypted', {
      detail:
        `The encrypted value in ${aad.table}.${aad.column} of row ${aad.rowId} could not be decrypted: ` +
        `${reason}.`,
    });
  }
}

/** A stored value names a key this connector does not know (deleted row, or another default key id). */
export class UnknownEncryptionKeyError extends DomainError {
  constructor(keyId: string) {
    super(
      'encryption/unknown-key',
      'internal',
      'A stored value was encrypted with an unknown key',
      {
        detail:
          `No encryption key with id '${keyId}': it is neither a row of encryption_key nor the ` +
          'configured ENCRYPTION_KEY_ID. Restore the key (or ENCRYPTION_KEY / ENCRYPTION_KEY_ID) that wrote the value.',
      },
    );
  }
}

/** The key material a reference points at is unusable. */
export class InvalidEncryptionKeyError extends DomainError {
  constructor(detail: string) {
    super('encryption-key/invalid', 'validation', 'The encryption key is not valid', { detail });
  }
}
