import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { CreatedPaymentAuthContext } from '../../payment-initiation.ports';
import type { DomesticPaymentConsentView } from '../domestic-payment-consent.types';
import { ObWriteDomesticConsentDto } from './ob-write-domestic-consent.dto';

export class CreateDomesticPaymentConsentDto {
  @ApiProperty({ description: 'The bank registration to create the consent with.', format: 'uuid' })
  @IsUUID()
  bankRegistrationId!: string;

  @ApiProperty({
    description:
      'The OBWriteDomesticConsent4 (v4.0) to send to the bank, signed (x-jws-signature).',
    type: ObWriteDomesticConsentDto,
  })
  @IsObject()
  @ValidateNested()
  @Type(() => ObWriteDomesticConsentDto)
  externalApiRequest!: ObWriteDomesticConsentDto;

  @ApiPropertyOptional({
    description: 'Free text kept with the consent (max 1024 characters).',
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

export class DomesticPaymentConsentResponseDto implements DomesticPaymentConsentView {
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
      'OB v4.0 status as last seen: AWAU awaiting authorisation, AUTH authorised, COND consumed by its payment, RJCT rejected, EXPD expired.',
  })
  status!: string;

  @ApiPropertyOptional({
    description: 'When the customer authorised the consent (ISO 8601), null until then.',
    nullable: true,
    type: String,
    format: 'date-time',
  })
  authorisedAt!: string | null;

  @ApiProperty({
    description: "The bank's OBWriteDomesticConsentResponse (v4.0) as last seen, unchanged.",
    type: 'object',
    additionalProperties: true,
  })
  externalApiResponse!: Record<string, unknown>;
}

export class CreatePaymentAuthContextDto {
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

export class PaymentAuthContextResponseDto {
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

  static from(context: CreatedPaymentAuthContext): PaymentAuthContextResponseDto {
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

export class FundsConfirmationResponseDto {
  @ApiProperty({
    description: "The bank's OBWriteFundsConfirmationResponse1 Data, unchanged.",
    type: 'object',
    additionalProperties: true,
  })
  Data!: Record<string, unknown>;
}
