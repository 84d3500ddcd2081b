import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { DomesticVrpEntity } from '../domestic-vrp.entity';

export class CreateDomesticVrpDto {
  @ApiProperty({ description: 'The authorised domestic VRP consent to pay under.', format: 'uuid' })
  @IsUUID()
  domesticVrpConsentId!: string;

  @ApiProperty({
    description:
      "The OBDomesticVRPRequest (v4.0) to send to the bank; Data.ConsentId is filled in with the bank's consent id.",
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  externalApiRequest!: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'Free text kept with the payment (max 1024 characters).',
    maxLength: 1024,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  reference?: string;
}

export class DomesticVrpResponseDto {
  @ApiProperty({ description: "The connector's id of the payment (UUID).", format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'The consent the payment was made under.', format: 'uuid' })
  domesticVrpConsentId!: string;

  @ApiProperty({ description: "The bank's DomesticVRPId." })
  externalApiId!: string;

  @ApiProperty({ description: "The payment's status as last seen at the bank (e.g. ACSC)." })
  status!: string;

  @ApiProperty({
    description: "The bank's OBDomesticVRPResponse (v4.0) as last seen, unchanged.",
    type: 'object',
    additionalProperties: true,
  })
  externalApiResponse!: Record<string, unknown>;

  static from(row: DomesticVrpEntity): DomesticVrpResponseDto {
    return {
      id: row.id,
      domesticVrpConsentId: row.domesticVrpConsentId,
      externalApiId: row.externalApiId,
      status: row.status,
      externalApiResponse: row.externalApiResponse,
    };
  }
}

export class DomesticVrpPaymentDetailsResponseDto {
  @ApiProperty({
    description: "The bank's OBDomesticVRPDetails (v4.0) for the payment, unchanged.",
    type: 'object',
    additionalProperties: true,
  })
  externalApiResponse!: Record<string, unknown>;
}
