import { ValidationError } from '@obc/common';

const KEY = /^[\x21-\x7E]{1,255}$/;

/** The Idempotency-Key header: absent is null; present it must be 1-255 visible ASCII characters. */
export function idempotencyKeyOf(header: string | undefined): string | null {
  if (header === undefined || header === '') return null;
  if (!KEY.test(header)) {
    throw new ValidationError(
      'Idempotency-Key must be 1 to 255 visible ASCII characters.',
      [{ field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }],
      'idempotency/invalid-key',
    );
  }
  return header;
}
