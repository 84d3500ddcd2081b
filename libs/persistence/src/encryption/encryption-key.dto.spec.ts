import { createValidationPipe, DomainError } from '@obc/common';
import { CreateEncryptionKeyRequestDto } from './encryption-key.dto';

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

  it('accepts a key reference', async () => {
    await expect(
      validate({ key: { source: 'env', name: 'KEY_2' }, setAsCurrent: false }),
    ).resolves.toBeInstanceOf(CreateEncryptionKeyRequestDto);
  });
});
