import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { SECRET_SOURCES, SecretRef, SecretSource } from './secret-ref';

/** Request-body form of a SecretRef (nest it with @ValidateNested and @Type(() => SecretRefDto)). */
export class SecretRefDto implements SecretRef {
  @ApiProperty({
    enum: SECRET_SOURCES,
    description:
      'Where the secret is held: `env` (an environment variable of the connector), `file` (a file on the connector host), `aws-ssm` (an AWS SSM Parameter Store parameter, read with decryption) or `config` (the `secrets` map of the connector config file).',
    example: 'aws-ssm',
  })
  @IsIn(SECRET_SOURCES)
  source!: SecretSource;

  @ApiProperty({
    description:
      "The secret's name in that source: variable name, absolute file path, SSM parameter name, or key of the config-file `secrets` map. Never the secret value itself.",
    example: '/obc/prod/obwac-private-key',
    maxLength: 2048,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  name!: string;
}
