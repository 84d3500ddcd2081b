import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { DomesticPaymentView } from '../domestic-payment.types';

const FREE_OBJECT = { type: 'object', additionalProperties: true } as const;

export class DomesticPaymentDataDto {
  @ApiProperty({ description: "The bank's ConsentId of the consent (its externalApiId)." })
  @IsString()
  @Length(1, 128)
  ConsentId!: string;

  @ApiProperty({
    description:
      "Must equal the consent's Initiation exactly; otherwise 422 payment/consent-mismatch.",
    ...FREE_OBJECT,
  })
  @IsObject()
  Initiation!: Record<string, unknown>;
}

/** OBWriteDomestic2 (OB v4.0). */
export class ObWriteDomesticDto {
  @ApiProperty({ description: 'The payment data.', type: DomesticPaymentDataDto })
  @IsObject()
  @ValidateNested()
  @Type(() => DomesticPaymentDataDto)
  Data!: DomesticPaymentDataDto;

  @ApiPropertyOptional({ description: "OBRisk1; defaults to the consent's Risk.", ...FREE_OBJECT })
  @IsOptional()
  @IsObject()
  Risk?: Record<string, unknown>;
}

export class CreateDomesticPaymentDto {
  @ApiProperty({
    description: "The connector's id of an authorised domestic payment consent.",
    format: 'uuid',
  })
  @IsUUID()
  domesticPaymentConsentId!: string;

  @ApiPropertyOptional({
    description:
      'The OBWriteDomestic2 to send; omitted: built from the consent (ConsentId, Initiation, Risk).',
    type: ObWriteDomesticDto,
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ObWriteDomesticDto)
  externalApiRequest?: ObWriteDomesticDto;

  @ApiPropertyOptional({
    description: 'Free text kept with the payment (max 1024 characters).',
    maxLength: 1024,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  reference?: string;

  @ApiPropertyOptional({
    description: 'Who makes the payment; defaults to the id of the API key used.',
    maxLength: 256,
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  createdBy?: string;
}

export class DomesticPaymentResponseDto implements DomesticPaymentView {
  @ApiProperty({ description: "The connector's id of the payment (UUID).", format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'When it was created (ISO 8601).', format: 'date-time' })
  created!: string;

  @ApiPropertyOptional({ description: 'Who created it.', nullable: true, type: String })
  createdBy!: string | null;

  @ApiPropertyOptional({ description: 'Free text given on create.', nullable: true, type: String })
  reference!: string | null;

  @ApiProperty({
    description: "The connector's id of the consent the payment was made under.",
    format: 'uuid',
  })
  domesticPaymentConsentId!: string;

  @ApiProperty({ description: "The bank's DomesticPaymentId." })
  externalApiId!: string;

  @ApiProperty({
    description: 'The payment status as last seen at the bank (e.g. ACSC, ACSP, PDNG, RJCT).',
  })
  status!: string;

  @ApiProperty({
    description: "The bank's OBWriteDomesticResponse (v4.0) as last seen, unchanged.",
    ...FREE_OBJECT,
  })
  externalApiResponse!: Record<string, unknown>;
}

export class PaymentDetailsResponseDto {
  @ApiProperty({
    description: "The bank's OBWritePaymentDetailsResponse1 Data, unchanged.",
    ...FREE_OBJECT,
  })
  Data!: Record<string, unknown>;
}
