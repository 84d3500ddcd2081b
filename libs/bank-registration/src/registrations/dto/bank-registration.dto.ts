import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { SecretRefDto } from '@obc/config';
import { CreateResourceDto } from '../../shared/create-common.dto';
import { ResourceResponseDto } from '../../shared/resource-response.dto';
import { BankRegistrationEntity } from '../bank-registration.entity';

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

export class CreateBankRegistrationDto extends CreateResourceDto {
  @ApiProperty({
    description:
      'Id of the bank profile to register with (GET /v1/manage/bank-profiles lists them).',
    maxLength: 128,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  bankProfile!: string;

  @ApiProperty({
    description:
      'Id of the software statement to register (its SSA, certificates and redirect URIs are used).',
    format: 'uuid',
  })
  @IsUUID()
  softwareStatementId!: string;

  @ApiPropertyOptional({
    description:
      "Scopes to register (e.g. openid, accounts, payments); default: the profile's default scopes.",
    type: [String],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(/^[\x21\x23-\x5B\x5D-\x7E]+$/, {
    each: true,
    message: 'each scope must be a scope token (no spaces or quotes)',
  })
  scopes?: string[];

  @ApiPropertyOptional({
    description: "Redirect URIs to register; default: the software statement's.",
    type: [String],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUrl(URL_OPTIONS, { each: true })
  redirectUris?: string[];

  @ApiPropertyOptional({
    description: "Default redirect URI for auth contexts; default: the software statement's.",
    maxLength: 2048,
  })
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2048)
  defaultRedirectUri?: string;

  @ApiPropertyOptional({
    description:
      'Client id of a client registered outside the connector: given, the client is imported and no DCR is made.',
    maxLength: 256,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  externalApiId?: string;

  @ApiPropertyOptional({
    description:
      "Import only: reference to the imported client's secret (client_secret_basic/post); stored encrypted.",
    type: SecretRefDto,
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SecretRefDto)
  externalApiSecret?: SecretRefDto;

  @ApiPropertyOptional({
    description:
      "Import only: reference to the imported client's registration access token; stored encrypted.",
    type: SecretRefDto,
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SecretRefDto)
  registrationAccessToken?: SecretRefDto;
}

export class BankRegistrationResponseDto extends ResourceResponseDto {
  @ApiProperty({ description: 'Id of the bank profile.' })
  bankProfile!: string;

  @ApiProperty({ description: 'Id of the software statement registered.', format: 'uuid' })
  softwareStatementId!: string;

  @ApiProperty({ description: 'The client id at the bank.' })
  externalApiId!: string;

  @ApiProperty({
    description: "How the connector authenticates at the bank's token endpoint.",
    enum: ['tls_client_auth', 'private_key_jwt', 'client_secret_basic', 'client_secret_post'],
  })
  tokenEndpointAuthMethod!: string;

  @ApiProperty({ description: 'Registered scopes.', type: [String] })
  scopes!: string[];

  @ApiProperty({ description: 'Registered redirect URIs.', type: [String] })
  redirectUris!: string[];

  @ApiProperty({ description: 'Default redirect URI for auth contexts.' })
  defaultRedirectUri!: string;

  @ApiProperty({
    description:
      "`dcr`: registered by the connector; `import`: an existing client imported; `shared`: the client of a registration of the group's profile, reused (the profile's registration.sharedWith).",
    enum: ['dcr', 'import', 'shared'],
  })
  registrationMode!: string;

  @ApiPropertyOptional({
    description:
      "The bank's registration response (OBClientRegistration1) with client_secret and registration_access_token removed; null for imported clients.",
    type: 'object',
    additionalProperties: true,
    nullable: true,
  })
  externalApiResponse!: Record<string, unknown> | null;

  static from(row: BankRegistrationEntity): BankRegistrationResponseDto {
    return {
      ...ResourceResponseDto.base(row),
      bankProfile: row.bankProfile,
      softwareStatementId: row.softwareStatementId,
      externalApiId: row.externalApiId ?? '',
      tokenEndpointAuthMethod: row.tokenEndpointAuthMethod,
      scopes: row.scopes,
      redirectUris: row.redirectUris,
      defaultRedirectUri: row.defaultRedirectUri,
      registrationMode: row.registrationMode,
      externalApiResponse: row.externalApiResponse,
    };
  }
}
