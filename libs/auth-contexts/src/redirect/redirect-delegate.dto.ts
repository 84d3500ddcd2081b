import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { CONSENT_TYPES, type ConsentType } from '@obc/bank-profiles';

/** The bank's redirect parameters, as the bank sent them (OAuth names, hence snake case). */
export class RedirectDelegateRequestDto {
  @ApiProperty({
    description:
      'The `state` of the bank redirect: it identifies the authorisation context and is accepted once only.',
    maxLength: 512,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  state!: string;

  @ApiPropertyOptional({ description: 'The authorisation code.', maxLength: 4096 })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  code?: string;

  @ApiPropertyOptional({
    description: 'The ID token of the hybrid flow (`code id_token`).',
    maxLength: 16384,
  })
  @IsOptional()
  @IsString()
  @MaxLength(16384)
  id_token?: string;

  @ApiPropertyOptional({
    description: "The bank's OAuth error code, when it did not authorise (e.g. `access_denied`).",
    maxLength: 256,
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  error?: string;

  @ApiPropertyOptional({ description: "The bank's description of the error.", maxLength: 2048 })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  error_description?: string;

  @ApiPropertyOptional({
    description:
      "The bank's issuer identifier (RFC 9207 `iss` authorisation response parameter). When present it must equal the bank's issuer, which defends against mix-up attacks.",
    maxLength: 2048,
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  iss?: string;

  @ApiPropertyOptional({
    description: 'Where the parameters came from (`fragment` or `query`); informational.',
    maxLength: 32,
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  response_mode?: string;
}

export class RedirectDelegateResponseDto {
  @ApiProperty({ description: 'The type of the consent now authorised.', enum: CONSENT_TYPES })
  consentType!: ConsentType;

  @ApiProperty({ description: "The connector's id of the consent now authorised.", format: 'uuid' })
  consentId!: string;
}
