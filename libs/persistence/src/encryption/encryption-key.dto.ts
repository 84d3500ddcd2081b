import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SecretRefDto } from '@obc/config';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { EncryptionKeyEntity } from './encryption-key.entity';

export class CreateEncryptionKeyRequestDto {
  @ApiProperty({
    type: SecretRefDto,
    description:
      'Where the key material is held: base64 of exactly 32 random bytes (e.g. `openssl rand -base64 32`). The connector resolves it now to check it and whenever it needs the key; it never stores the material.',
  })
  @IsDefined()
  @ValidateNested()
  @Type(() => SecretRefDto)
  key!: SecretRefDto;

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
