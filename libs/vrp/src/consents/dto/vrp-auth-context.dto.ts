import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import type { CreatedAuthContext } from '@obc/auth-contexts';

export class CreateVrpAuthContextDto {
  @ApiPropertyOptional({
    description:
      "Where the bank sends the customer back; one of the registration's redirect URIs (default: its default).",
  })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  @MaxLength(2048)
  redirectUri?: string;

  @ApiPropertyOptional({
    description: "The caller's session id, returned when the redirect is processed.",
    maxLength: 256,
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  appSessionId?: string;

  @ApiPropertyOptional({ description: 'Free text kept with the auth context.', maxLength: 1024 })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  reference?: string;

  @ApiPropertyOptional({
    description: 'Who creates the auth context; defaults to the id of the API key used.',
    maxLength: 256,
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  createdBy?: string;
}

export class VrpAuthContextResponseDto {
  @ApiProperty({ description: 'Id of the auth context (UUID).', format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'When it was created (ISO 8601).', format: 'date-time' })
  created!: string;

  @ApiPropertyOptional({ description: 'Who created it.', nullable: true, type: String })
  createdBy!: string | null;

  @ApiPropertyOptional({ description: 'Free text given on create.', nullable: true, type: String })
  reference!: string | null;

  @ApiProperty({ description: "The bank's authorisation URL to send the customer to." })
  authUrl!: string;

  @ApiProperty({ description: 'The state of the authorisation request (single use).' })
  state!: string;

  @ApiProperty({ description: 'When the auth context expires (ISO 8601).', format: 'date-time' })
  expiresAt!: string;

  static from(context: CreatedAuthContext): VrpAuthContextResponseDto {
    return {
      id: context.id,
      created: new Date(context.created).toISOString(),
      createdBy: context.createdBy,
      reference: context.reference,
      authUrl: context.authUrl,
      state: context.state,
      expiresAt: new Date(context.expiresAt).toISOString(),
    };
  }
}
