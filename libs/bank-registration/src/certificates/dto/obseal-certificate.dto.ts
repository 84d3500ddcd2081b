import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { SecretRefDto } from '@obc/config';
import { CreateResourceDto } from '../../shared/create-common.dto';
import { ResourceResponseDto, SecretRefResponseDto } from '../../shared/resource-response.dto';
import { ObsealCertificateEntity } from '../obseal-certificate.entity';

export class CreateObsealCertificateDto extends CreateResourceDto {
  @ApiProperty({
    description:
      'Key id (kid) of the signing key as published in the directory JWKS; sent in JWS headers.',
    maxLength: 256,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  keyId!: string;

  @ApiProperty({
    description: 'Reference to the signing private key (PEM); never stored.',
    type: SecretRefDto,
  })
  @IsDefined()
  @ValidateNested()
  @Type(() => SecretRefDto)
  privateKey!: SecretRefDto;

  @ApiPropertyOptional({
    description: 'The OBSeal certificate, PEM encoded; when given, the key is checked to match it.',
    maxLength: 20000,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  certificatePem?: string;
}

export class ObsealCertificateResponseDto extends ResourceResponseDto {
  @ApiProperty({ description: 'Key id (kid) of the signing key.' })
  keyId!: string;

  @ApiProperty({
    description: 'Where the private key is held (the reference, never the key).',
    type: SecretRefResponseDto,
  })
  privateKey!: SecretRefResponseDto;

  @ApiPropertyOptional({
    description: 'The OBSeal certificate, PEM encoded, when given.',
    nullable: true,
    type: String,
  })
  certificatePem!: string | null;

  static from(row: ObsealCertificateEntity): ObsealCertificateResponseDto {
    return {
      ...ResourceResponseDto.base(row),
      keyId: row.keyId,
      privateKey: { source: row.privateKeySource, name: row.privateKeyName },
      certificatePem: row.certificatePem,
    };
  }
}
