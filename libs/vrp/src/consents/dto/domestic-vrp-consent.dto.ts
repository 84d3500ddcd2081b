import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { DomesticVrpConsentEntity } from '../domestic-vrp-consent.entity';

export class CreateDomesticVrpConsentDto {
  @ApiProperty({ description: 'The bank registration to create the consent with.', format: 'uuid' })
  @IsUUID()
  bankRegistrationId!: string;

  @ApiProperty({
    description:
      'The OBDomesticVRPConsentRequest (v4.0) to send to the bank; Data.ControlParameters is required (VRPType, MaximumIndividualAmount, PeriodicLimits).',
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  externalApiRequest!: Record<string, unknown>;

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

export class DomesticVrpConsentResponseDto {
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
      "The consent's status as last seen at the bank, as an OB v4.0 code (AWAU, AUTH, RJCT, CANC, EXPD).",
  })
  status!: string;

  @ApiProperty({
    description: "The bank's OBDomesticVRPConsentResponse (v4.0) as last seen, unchanged.",
    type: 'object',
    additionalProperties: true,
  })
  externalApiResponse!: Record<string, unknown>;

  static from(row: DomesticVrpConsentEntity): DomesticVrpConsentResponseDto {
    return {
      id: row.id,
      created: new Date(row.created).toISOString(),
      createdBy: row.createdBy,
      reference: row.reference,
      bankRegistrationId: row.bankRegistrationId,
      externalApiId: row.externalApiId,
      status: row.status,
      externalApiResponse: row.externalApiResponse,
    };
  }
}

export class VrpFundsConfirmationDto {
  @ApiProperty({
    description:
      "The OBVRPFundsConfirmationRequest (v4.0); Data.ConsentId is filled in with the bank's consent id.",
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  externalApiRequest!: Record<string, unknown>;
}

export class VrpFundsConfirmationResponseDto {
  @ApiProperty({
    description: "The bank's OBVRPFundsConfirmationResponse (v4.0), unchanged.",
    type: 'object',
    additionalProperties: true,
  })
  externalApiResponse!: Record<string, unknown>;
}
