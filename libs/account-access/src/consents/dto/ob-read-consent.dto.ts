import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  ValidateNested,
} from 'class-validator';
import { OB_ACCOUNT_PERMISSIONS } from '../ob-permissions';

/** OBReadConsent1.Data (Account and Transaction API v4.0). */
export class ObReadConsentDataDto {
  @ApiProperty({
    description: 'OB permissions requested (OBInternalPermissions1Code), at least one.',
    enum: OB_ACCOUNT_PERMISSIONS,
    isArray: true,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(OB_ACCOUNT_PERMISSIONS, { each: true })
  Permissions!: string[];

  @ApiPropertyOptional({
    description: 'When the permissions expire (ISO 8601 date-time); absent: open-ended.',
    format: 'date-time',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  ExpirationDateTime?: string;

  @ApiPropertyOptional({
    description: 'Start of the transaction query period (ISO 8601 date-time).',
    format: 'date-time',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  TransactionFromDateTime?: string;

  @ApiPropertyOptional({
    description: 'End of the transaction query period (ISO 8601 date-time).',
    format: 'date-time',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  TransactionToDateTime?: string;
}

/** OBReadConsent1: the account-access consent request sent to the bank. */
export class ObReadConsentDto {
  @ApiProperty({ description: 'OBReadConsent1.Data.', type: ObReadConsentDataDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ObReadConsentDataDto)
  Data!: ObReadConsentDataDto;

  @ApiProperty({
    description: 'OBRisk2: risk indicators (usually empty for account access), sent as given.',
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  Risk!: Record<string, unknown>;
}
