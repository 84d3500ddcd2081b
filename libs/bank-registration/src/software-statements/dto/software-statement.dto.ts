import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { SecretRefDto } from '@obc/config';
import { CreateResourceDto } from '../../shared/create-common.dto';
import { ResourceResponseDto } from '../../shared/resource-response.dto';
import { SoftwareStatementEntity } from '../software-statement.entity';

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };
const OB_ID = /^[0-9a-zA-Z]{1,22}$/;

/**
 * Optional in an update, but never null: an absent field keeps the stored value, and null is
 * refused like any other invalid value (IsOptional would let it through to NOT NULL columns).
 */
const OptionalNotNull = () => ValidateIf((_dto: object, value: unknown) => value !== undefined);

export class CreateSoftwareStatementDto extends CreateResourceDto {
  @ApiProperty({
    description: 'Organisation id of the TPP in the Open Banking directory (the SSA org_id).',
    maxLength: 22,
  })
  @IsString()
  @Matches(OB_ID, { message: 'organisationId must be 1 to 22 letters or digits' })
  organisationId!: string;

  @ApiProperty({
    description: 'Software statement id in the directory (the SSA software_id; the DCR iss).',
    maxLength: 22,
  })
  @IsString()
  @Matches(OB_ID, { message: 'softwareId must be 1 to 22 letters or digits' })
  softwareId!: string;

  @ApiProperty({
    description:
      'True for a directory sandbox software statement; selects which directory an SSA is fetched from.',
  })
  @IsBoolean()
  sandboxEnvironment!: boolean;

  @ApiProperty({
    description: 'Id of the OBWAC (transport) certificate used for mTLS with banks.',
    format: 'uuid',
  })
  @IsUUID()
  obwacCertificateId!: string;

  @ApiProperty({
    description:
      'Id of the OBSeal signing key used for registration JWTs, request objects and message signing.',
    format: 'uuid',
  })
  @IsUUID()
  obsealCertificateId!: string;

  @ApiProperty({
    description: 'Redirect URI used when an auth context names none; always registered.',
    maxLength: 2048,
  })
  @IsUrl(URL_OPTIONS)
  @MaxLength(2048)
  defaultRedirectUri!: string;

  @ApiPropertyOptional({
    description:
      'Every redirect URI to register with banks (the default one is added when missing).',
    type: [String],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUrl(URL_OPTIONS, { each: true })
  redirectUris?: string[];

  @ApiPropertyOptional({
    description:
      'Reference to the software statement assertion (JWT). Omitted: fetched from the directory configured for the environment.',
    type: SecretRefDto,
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SecretRefDto)
  softwareStatementAssertion?: SecretRefDto;
}

export class UpdateSoftwareStatementDto {
  @ApiPropertyOptional({
    description: 'Id of a replacement OBWAC (transport) certificate.',
    format: 'uuid',
  })
  @OptionalNotNull()
  @IsUUID()
  obwacCertificateId?: string;

  @ApiPropertyOptional({ description: 'Id of a replacement OBSeal signing key.', format: 'uuid' })
  @OptionalNotNull()
  @IsUUID()
  obsealCertificateId?: string;

  @ApiPropertyOptional({ description: 'New default redirect URI.', maxLength: 2048 })
  @OptionalNotNull()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2048)
  defaultRedirectUri?: string;

  @ApiPropertyOptional({
    description:
      'New list of redirect URIs (replaces the old one; the default is added when missing).',
    type: [String],
  })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUrl(URL_OPTIONS, { each: true })
  redirectUris?: string[];
}

export class SoftwareStatementResponseDto extends ResourceResponseDto {
  @ApiProperty({ description: 'Organisation id of the TPP.' })
  organisationId!: string;

  @ApiProperty({ description: 'Software statement id.' })
  softwareId!: string;

  @ApiProperty({ description: 'Whether this is a directory sandbox software statement.' })
  sandboxEnvironment!: boolean;

  @ApiProperty({ description: 'Id of the OBWAC (transport) certificate.', format: 'uuid' })
  obwacCertificateId!: string;

  @ApiProperty({ description: 'Id of the OBSeal signing key.', format: 'uuid' })
  obsealCertificateId!: string;

  @ApiProperty({ description: 'Default redirect URI.' })
  defaultRedirectUri!: string;

  @ApiProperty({ description: 'Registered redirect URIs.', type: [String] })
  redirectUris!: string[];

  @ApiProperty({
    description:
      'Where the SSA came from: supplied by the caller or fetched from the directory. The SSA itself is stored encrypted and not returned.',
    enum: ['supplied', 'directory'],
  })
  ssaSource!: string;

  static from(row: SoftwareStatementEntity): SoftwareStatementResponseDto {
    return {
      ...ResourceResponseDto.base(row),
      organisationId: row.organisationId,
      softwareId: row.softwareId,
      sandboxEnvironment: row.sandboxEnvironment,
      obwacCertificateId: row.obwacCertificateId,
      obsealCertificateId: row.obsealCertificateId,
      defaultRedirectUri: row.defaultRedirectUri,
      redirectUris: row.redirectUris,
      ssaSource: row.ssaSource,
    };
  }
}
