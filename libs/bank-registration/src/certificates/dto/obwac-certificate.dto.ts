import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsString, MaxLength, ValidateNested } from 'class-validator';
import { SecretRefDto } from '@obc/config';
import { CreateResourceDto } from '../../shared/create-common.dto';
import { ResourceResponseDto, SecretRefResponseDto } from '../../shared/resource-response.dto';
import { ObwacCertificateEntity } from '../obwac-certificate.entity';

export class CreateObwacCertificateDto extends CreateResourceDto {
  @ApiProperty({
    description: 'The OBWAC (transport, mTLS client) certificate, PEM encoded.',
    maxLength: 20000,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  certificatePem!: string;

  @ApiProperty({
    description:
      "Reference to the certificate's private key (PEM); checked to match the certificate, never stored.",
    type: SecretRefDto,
  })
  @IsDefined()
  @ValidateNested()
  @Type(() => SecretRefDto)
  privateKey!: SecretRefDto;
}

export class ObwacCertificateResponseDto extends ResourceResponseDto {
  @ApiProperty({
    description: 'Subject distinguished name (RFC 4514; organizationIdentifier as 2.5.4.97).',
  })
  subjectDn!: string;

  @ApiPropertyOptional({
    description: 'Organisation id from the subject (OU, else organizationIdentifier).',
    nullable: true,
    type: String,
  })
  organisationId!: string | null;

  @ApiProperty({
    description: "End of the certificate's validity (ISO 8601).",
    format: 'date-time',
  })
  notAfter!: string;

  @ApiProperty({ description: 'SHA-256 fingerprint of the certificate (DER), lower-case hex.' })
  fingerprint!: string;

  @ApiProperty({ description: 'The certificate, PEM encoded.' })
  certificatePem!: string;

  @ApiProperty({
    description: 'Where the private key is held (the reference, never the key).',
    type: SecretRefResponseDto,
  })
  privateKey!: SecretRefResponseDto;

  static from(row: ObwacCertificateEntity): ObwacCertificateResponseDto {
    return {
      ...ResourceResponseDto.base(row),
      subjectDn: row.subjectDn,
      organisationId: row.organisationId,
      notAfter: new Date(row.notAfter).toISOString(),
      fingerprint: row.fingerprint,
      certificatePem: row.certificatePem,
      privateKey: { source: row.privateKeySource, name: row.privateKeyName },
    };
  }
}
