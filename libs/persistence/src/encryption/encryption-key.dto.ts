import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SECRET_SOURCES, type SecretRef, type SecretSource } from '@obc/config';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { EncryptionKeyEntity } from './encryption-key.entity';

/** The length of the `encryption_key.name` column. */
export const ENCRYPTION_KEY_NAME_MAX_LENGTH = 512;

/** A SecretRef whose name fits the encryption key table (shorter than other references). */
export class EncryptionKeySecretRefDto implements SecretRef {
  @ApiProperty({
    enum: SECRET_SOURCES,
    description:
      'Where the key material is held: `env`, `file`, `aws-ssm` or `config` (as for every SecretRef).',
    example: 'aws-ssm',
  })
  @IsIn(SECRET_SOURCES)
  source!: SecretSource;

  @ApiProperty({
    description:
      "The key's name in that source: variable name, absolute file path, SSM parameter name, or key of the config-file `secrets` map. Never the key material itself.",
    example: '/obc/prod/encryption-key-2',
    maxLength: ENCRYPTION_KEY_NAME_MAX_LENGTH,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(ENCRYPTION_KEY_NAME_MAX_LENGTH)
  name!: string;
}

export class CreateEncryptionKeyRequestDto {
  @ApiProperty({
    type: EncryptionKeySecretRefDto,
    description:
      'Where the key material is held: base64 of exactly 32 random bytes (e.g. `openssl rand -base64 32`). The connector resolves it now to check it and whenever it needs the key; it never stores the material.',
  })
  @IsDefined()
  @ValidateNested()
  @Type(() => EncryptionKeySecretRefDto)
  key!: EncryptionKeySecretRefDto;

  @ApiProperty({
    description:
      'Make this the key new values are encrypted with. The previous current key stays usable for decrypting what it encrypted.',
    example: true,
  })
  @IsBoolean()
  setAsCurrent!: boolean;

  @ApiPropertyOptional({
    description: 'Free text for your own records, e.g. a change ticket.',
    maxLength: 1024,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  reference?: string;
}

export class EncryptionKeyRefResponseDto {
  @ApiProperty({
    description: 'Where the key material is held.',
    enum: ['env', 'file', 'aws-ssm', 'config'],
  })
  source!: string;

  @ApiProperty({ description: "The key material's name in that source (never the material)." })
  name!: string;
}

export class EncryptionKeyResponseDto {
  @ApiProperty({
    description: 'Key id; written into every value encrypted with this key.',
    format: 'uuid',
  })
  id!: string;

  @ApiProperty({ description: 'When the key was registered.', type: String, format: 'date-time' })
  created!: string;

  @ApiProperty({
    description: 'API key id of the caller that registered it.',
    type: String,
    nullable: true,
  })
  createdBy!: string | null;

  @ApiProperty({ description: 'Free text given at registration.', type: String, nullable: true })
  reference!: string | null;

  @ApiProperty({ description: 'Reference to the key material.', type: EncryptionKeyRefResponseDto })
  key!: EncryptionKeyRefResponseDto;

  @ApiProperty({ description: 'Whether new values are encrypted with this key.' })
  isCurrent!: boolean;
}

export function toEncryptionKeyResponse(entity: EncryptionKeyEntity): EncryptionKeyResponseDto {
  return {
    id: entity.id,
    created: entity.created.toISOString(),
    createdBy: entity.createdBy,
    reference: entity.reference,
    key: { source: entity.source, name: entity.name },
    isCurrent: entity.isCurrent,
  };
}
