import { DomainError } from '@obc/common';

export class IdempotencyKeyReusedError extends DomainError {
  constructor(key: string) {
    super(
      'idempotency/key-reused',
      'unprocessable',
      'Idempotency-Key already used with a different request',
      {
        detail: `The Idempotency-Key '${key}' was already used with a different request body. Use a new key for a new request.`,
        extensions: { idempotencyKey: key },
      },
    );
  }
}

export class IdempotencyInProgressError extends DomainError {
  constructor(key: string) {
    super(
      'idempotency/in-progress',
      'conflict',
      'A request with this Idempotency-Key is in progress',
      {
        detail: `A request with the Idempotency-Key '${key}' is still being processed. Retry later with the same key and body to get its result.`,
        extensions: { idempotencyKey: key },
      },
    );
  }
}

export class InvalidIdempotencyKeyError extends DomainError {
  constructor(maxLength: number) {
    super('idempotency/invalid-key', 'validation', 'The Idempotency-Key is not valid', {
      detail: `The Idempotency-Key must be 1 to ${maxLength} printable ASCII characters.`,
      errors: [
        { field: 'Idempotency-Key', message: `1 to ${maxLength} printable ASCII characters` },
      ],
    });
  }
}
