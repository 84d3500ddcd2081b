import { createValidationPipe, DomainError } from '@obc/common';
import { UpdateSoftwareStatementDto } from './software-statement.dto';

describe('UpdateSoftwareStatementDto', () => {
  const pipe = createValidationPipe();
  const validate = (body: unknown) =>
    pipe.transform(body, { type: 'body', metatype: UpdateSoftwareStatementDto });

  it.each(['defaultRedirectUri', 'obwacCertificateId', 'obsealCertificateId', 'redirectUris'])(
    'refuses %s: null with a 400 (regression: null reached a NOT NULL column, a 500)',
    async (field) => {
      const error = await validate({ [field]: null }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('request/validation-failed');
      expect((error as DomainError).errors?.map((e) => e.field)).toContain(field);
    },
  );

  it('still treats absent fields as unchanged and validates present ones', async () => {
    await expect(validate({})).resolves.toBeInstanceOf(UpdateSoftwareStatementDto);
    await expect(
      validate({ defaultRedirectUri: 'https://tpp.example/cb', redirectUris: [] }),
    ).resolves.toMatchObject({ defaultRedirectUri: 'https://tpp.example/cb' });
    await expect(validate({ defaultRedirectUri: 'not a url' })).rejects.toBeInstanceOf(DomainError);
  });
});
