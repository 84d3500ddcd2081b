import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import type { CreatedAuthContext } from './auth-context.service';

/** Body of `POST …/{consentId}/auth-contexts` (shared by the feature modules). */
export class CreateAuthContextRequestDto {
  @ApiPropertyOptional({
    description:
      "Where the bank sends the PSU back: one of the bank registration's redirect URIs. Defaults to its default redirect URI.",
    maxLength: 2048,
  })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  @MaxLength(2048)
  redirectUri?: string;

  @ApiPropertyOptional({
    description: 'Your own session id for this authorisation, kept for your records.',
    maxLength: 256,
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  appSessionId?: string;

  @ApiPropertyOptional({ description: 'Free text for your own records.', maxLength: 1024 })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  reference?: string;
}

export class AuthContextResponseDto {
  @ApiProperty({ description: 'Auth context id.', format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'When it was created.', type: String, format: 'date-time' })
  created!: string;

  @ApiProperty({
    description: 'API key id of the caller that created it.',
    type: String,
    nullable: true,
  })
  createdBy!: string | null;

  @ApiProperty({ description: 'Free text from the caller.', type: String, nullable: true })
  reference!: string | null;

  @ApiProperty({
    description:
      "The bank's authorisation URL (with the signed request object): send the PSU's browser there.",
  })
  authUrl!: string;

  @ApiProperty({
    description:
      'The single-use state of this authorisation; the bank returns it on the redirect. Treat it as a secret until used.',
  })
  state!: string;

  @ApiProperty({
    description: 'After this instant the redirect is refused (`auth/state-expired`).',
    type: String,
    format: 'date-time',
  })
  expiresAt!: string;

  static from(created: CreatedAuthContext): AuthContextResponseDto {
    const dto = new AuthContextResponseDto();
    dto.id = created.id;
    dto.created = created.created.toISOString();
    dto.createdBy = created.createdBy;
    dto.reference = created.reference;
    dto.authUrl = created.authUrl;
    dto.state = created.state;
    dto.expiresAt = created.expiresAt.toISOString();
    return dto;
  }
}
