import { createValidationPipe, DomainError } from '@obc/common';
import {
  CreateEncryptionKeyRequestDto,
  ENCRYPTION_KEY_NAME_MAX_LENGTH,
} from './encryption-key.dto';

describe('CreateEncryptionKeyRequestDto', () => {
  const pipe = createValidationPipe();
  const validate = (body: unknown) =>
    pipe.transform(body, { type: 'body', metatype: CreateEncryptionKeyRequestDto });

  it('refuses a body without `key` as a 400 naming the field (regression: it reached the controller, a 500)', async () => {
    const error = await validate({ setAsCurrent: false }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('request/validation-failed');
    expect((error as DomainError).errors).toContainEqual({
      field: 'key',
      message: expect.stringContaining('should not be null or undefined'),
    });
    await expect(validate({ key: null, setAsCurrent: true })).rejects.toBeInstanceOf(DomainError);
  });

  it('refuses a key name longer than its column as a 400 (regression: PostgreSQL refused it, a 500)', async () => {
    const name = '/keys' + '/.'.repeat(300) + '/key-2';
    const error = await validate({ key: { source: 'file', name }, setAsCurrent: false }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as DomainError).code).toBe('request/validation-failed');
    expect((error as DomainError).errors).toContainEqual({
      field: 'key.name',
      message: expect.stringContaining(String(ENCRYPTION_KEY_NAME_MAX_LENGTH)),
    });
    await expect(
      validate({
        key: { source: 'file', name: 'k'.repeat(ENCRYPTION_KEY_NAME_MAX_LENGTH) },
        setAsCurrent: false,
      }),
    ).resolves.toBeInstanceOf(CreateEncryptionKeyRequestDto);
  });

  it('accepts a key reference', async () => {
    await expect(
      validate({ key: { source: 'env', name: 'KEY_2' }, setAsCurrent: false }),
    ).resolves.toBeInstanceOf(CreateEncryptionKeyRequestDto);
  });
});
