import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { CreatedAuthContext } from '../../account-access.ports';
import type { AccountAccessConsentEntity } from '../account-access-consent.entity';
import { ObReadConsentDto } from './ob-read-consent.dto';

export class ConsentTemplateRequestDto {
  @ApiProperty({
    description:
      'MaximumPermissions: every v4.0 permission the bank supports (its profile prunes the rest), no expiry.',
    enum: ['MaximumPermissions'],
  })
  @IsIn(['MaximumPermissions'])
  type!: 'MaximumPermissions';
}

export class CreateAccountAccessConsentDto {
  @ApiProperty({ description: 'The bank registration to create the consent with.', format: 'uuid' })
  @IsUUID()
  bankRegistrationId!: string;

  @ApiPropertyOptional({
    description: 'Build the request from a template. Exactly one of this and externalApiRequest.',
    type: ConsentTemplateRequestDto,
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ConsentTemplateRequestDto)
  templateRequest?: ConsentTemplateRequestDto;

  @ApiPropertyOptional({
    description:
      'The OBReadConsent1 to send to the bank as given. Exactly one of this and templateRequest.',
    type: ObReadConsentDto,
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ObReadConsentDto)
  externalApiRequest?: ObReadConsentDto;

  @ApiPropertyOptional({
    description: "The caller's id for the customer, kept with the consent (max 256 characters).",
    maxLength: 256,
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  externalApiUserId?: string;

  @ApiPropertyOptional({
    description: 'Free text kept with the consent and returned with it (max 1024 characters).',
    maxLength: 1024,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  reference?: string;

  @ApiPropertyOptional({
    description: 'Who creates the consent; defaults to the id of the API key used.',
    maxLength: 256,
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  createdBy?: string;
}

export class AccountAccessConsentResponseDto {
  @ApiProperty({ description: "The connector's id of the consent (UUID).", format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'When it was created (ISO 8601).', format: 'date-time' })
  created!: string;

  @ApiPropertyOptional({ description: 'Who created it.', nullable: true, type: String })
  createdBy!: string | null;

  @ApiPropertyOptional({ description: 'Free text given on create.', nullable: true, type: String })
  reference!: string | null;

  @ApiProperty({ description: 'The bank registration the consent belongs to.', format: 'uuid' })
  bankRegistrationId!: string;

  @ApiProperty({ description: "The bank's ConsentId." })
  externalApiId!: string;

  @ApiProperty({
    description:
      "The consent's status as last seen at the bank, as an OB v4.0 code (AWAU awaiting authorisation, AUTH authorised, RJCT rejected, CANC cancelled, EXPD expired); v3.1.x words are translated.",
  })
  status!: string;

  @ApiPropertyOptional({
    description: "The caller's id for the customer, as given on create.",
    nullable: true,
    type: String,
  })
  externalApiUserId!: string | null;

  @ApiPropertyOptional({
    description: 'When the customer authorised the consent (ISO 8601), null until then.',
    nullable: true,
    type: String,
    format: 'date-time',
  })
  authorisedAt!: string | null;

  @ApiProperty({
    description: "The bank's OBReadConsentResponse1 (v4.0) as last seen, unchanged.",
    type: 'object',
    additionalProperties: true,
  })
  externalApiResponse!: Record<string, unknown>;

  static from(row: AccountAccessConsentEntity): AccountAccessConsentResponseDto {
    return {
      id: row.id,
      created: new Date(row.created).toISOString(),
      createdBy: row.createdBy,
      reference: row.reference,
      bankRegistrationId: row.bankRegistrationId,
      externalApiId: row.externalApiId,
      status: row.status,
      externalApiUserId: row.externalApiUserId,
      authorisedAt: row.authorisedAt ? new Date(row.authorisedAt).toISOString() : null,
      externalApiResponse: row.externalApiResponse,
    };
  }
}

export class CreateAuthContextDto {
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

export class AuthContextResponseDto {
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

  static from(context: CreatedAuthContext): AuthContextResponseDto {
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
