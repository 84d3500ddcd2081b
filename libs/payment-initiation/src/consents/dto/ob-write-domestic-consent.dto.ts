import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';

const FREE_OBJECT = { type: 'object', additionalProperties: true } as const;

export class InstructedAmountDto {
  @ApiProperty({
    description:
      'A positive decimal string: up to 13 digits, optionally a point and up to 5 decimals (e.g. "10.50"). Otherwise 400 payment/invalid-amount.',
    example: '10.50',
  })
  @IsString()
  Amount!: string;

  @ApiProperty({
    description:
      'ISO 4217 code in capitals (GBP, EUR, USD, ...). Unknown: 400 payment/unknown-currency.',
    example: 'GBP',
  })
  @IsString()
  Currency!: string;
}

export class DebtorAccountDto {
  @ApiProperty({ description: 'OB account scheme, e.g. UK.OBIE.SortCodeAccountNumber.' })
  @IsString()
  @Length(1, 40)
  SchemeName!: string;

  @ApiProperty({ description: 'The account identification within the scheme.' })
  @IsString()
  @Length(1, 256)
  Identification!: string;

  @ApiPropertyOptional({ description: "The account owner's name." })
  @IsOptional()
  @IsString()
  @Length(1, 350)
  Name?: string;

  @ApiPropertyOptional({
    description: 'Secondary identification, e.g. a building society roll number.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 34)
  SecondaryIdentification?: string;

  @ApiPropertyOptional({ description: 'OBProxy1, passed to the bank unchanged.', ...FREE_OBJECT })
  @IsOptional()
  @IsObject()
  Proxy?: Record<string, unknown>;
}

export class CreditorAccountDto extends DebtorAccountDto {
  @ApiProperty({ description: "The creditor account owner's name (required by OB v4.0)." })
  @IsString()
  @Length(1, 350)
  declare Name: string;
}

export class DomesticInitiationDto {
  @ApiProperty({ description: "The initiating party's instruction id (max 35 characters)." })
  @IsString()
  @Length(1, 35)
  InstructionIdentification!: string;

  @ApiProperty({ description: 'End-to-end id passed unchanged to the creditor (max 35).' })
  @IsString()
  @Length(1, 35)
  EndToEndIdentification!: string;

  @ApiPropertyOptional({ description: 'OB local instrument code, e.g. UK.OBIE.FPS.' })
  @IsOptional()
  @IsString()
  LocalInstrument?: string;

  @ApiProperty({ description: 'Amount and currency to pay.', type: InstructedAmountDto })
  @IsObject()
  @ValidateNested()
  @Type(() => InstructedAmountDto)
  InstructedAmount!: InstructedAmountDto;

  @ApiPropertyOptional({
    description: 'The account to pay from, when known.',
    type: DebtorAccountDto,
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DebtorAccountDto)
  DebtorAccount?: DebtorAccountDto;

  @ApiPropertyOptional({ description: "The creditor's bank, passed unchanged.", ...FREE_OBJECT })
  @IsOptional()
  @IsObject()
  CreditorAgent?: Record<string, unknown>;

  @ApiProperty({ description: 'The account to pay to.', type: CreditorAccountDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CreditorAccountDto)
  CreditorAccount!: CreditorAccountDto;

  @ApiPropertyOptional({
    description: "The creditor's postal address (OBPostalAddress7).",
    ...FREE_OBJECT,
  })
  @IsOptional()
  @IsObject()
  CreditorPostalAddress?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'OBUltimateCreditor1, passed unchanged.', ...FREE_OBJECT })
  @IsOptional()
  @IsObject()
  UltimateCreditor?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'OBUltimateDebtor1, passed unchanged.', ...FREE_OBJECT })
  @IsOptional()
  @IsObject()
  UltimateDebtor?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'OBRegulatoryReporting1 entries, passed unchanged.',
    type: 'array',
    items: FREE_OBJECT,
  })
  @IsOptional()
  @IsArray()
  RegulatoryReporting?: Record<string, unknown>[];

  @ApiPropertyOptional({
    description: 'OBRemittanceInformation2 (Unstructured, Structured), passed unchanged.',
    ...FREE_OBJECT,
  })
  @IsOptional()
  @IsObject()
  RemittanceInformation?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Bank-specific supplementary data.', ...FREE_OBJECT })
  @IsOptional()
  @IsObject()
  SupplementaryData?: Record<string, unknown>;
}

export class DomesticConsentDataDto {
  @ApiPropertyOptional({
    description: 'Ask the bank for the refund account (Yes/No).',
    enum: ['Yes', 'No'],
  })
  @IsOptional()
  @IsIn(['Yes', 'No'])
  ReadRefundAccount?: 'Yes' | 'No';

  @ApiProperty({
    description: 'The payment the customer is asked to authorise.',
    type: DomesticInitiationDto,
  })
  @IsObject()
  @ValidateNested()
  @Type(() => DomesticInitiationDto)
  Initiation!: DomesticInitiationDto;

  @ApiPropertyOptional({ description: 'OB Authorisation block, passed unchanged.', ...FREE_OBJECT })
  @IsOptional()
  @IsObject()
  Authorisation?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'OB SCASupportData block, passed unchanged.',
    ...FREE_OBJECT,
  })
  @IsOptional()
  @IsObject()
  SCASupportData?: Record<string, unknown>;
}

/** OBWriteDomesticConsent4 (OB v4.0). */
export class ObWriteDomesticConsentDto {
  @ApiProperty({ description: 'The consent data.', type: DomesticConsentDataDto })
  @IsObject()
  @ValidateNested()
  @Type(() => DomesticConsentDataDto)
  Data!: DomesticConsentDataDto;

  @ApiProperty({
    description: 'OBRisk1 (payment context, merchant details, ...), passed unchanged.',
    ...FREE_OBJECT,
  })
  @IsObject()
  Risk!: Record<string, unknown>;
}
