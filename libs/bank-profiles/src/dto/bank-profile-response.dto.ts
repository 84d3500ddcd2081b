import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  API_VERSIONS,
  ApiVersion,
  CONSENT_TYPES,
  CONFIGURABLE_KEYS,
  ConfigurableKey,
  ConsentType,
} from '../bank-profile.types';
import type { BankProfile, BankEnvironment, TokenEndpointAuthMethod } from '../bank-profile.types';

export class BankProfileApiVersionsDto {
  @ApiPropertyOptional({
    enum: API_VERSIONS,
    description: 'Account and Transaction API (AISP) version; absent when not offered.',
  })
  accountAndTransaction?: ApiVersion;

  @ApiPropertyOptional({
    enum: API_VERSIONS,
    description: 'Payment Initiation API (PISP) version; absent when not offered.',
  })
  paymentInitiation?: ApiVersion;

  @ApiPropertyOptional({
    enum: API_VERSIONS,
    description: 'Variable Recurring Payments API version; absent when not offered.',
  })
  variableRecurringPayments?: ApiVersion;
}

/** One loaded bank profile as GET /v1/manage/bank-profiles shows it. */
export class BankProfileResponseDto {
  @ApiProperty({
    description: 'Profile id, as given in `bankProfile` when creating a bank registration.',
    example: 'obie-model-bank-sandbox',
  })
  id!: string;

  @ApiProperty({
    description: 'Human-readable bank name.',
    example: 'OBIE Model Bank (Ozone sandbox)',
  })
  displayName!: string;

  @ApiProperty({ description: 'Banking group the profile belongs to.', example: 'obie' })
  group!: string;

  @ApiPropertyOptional({ description: 'Brand within the group, when the group runs several.' })
  brand?: string;

  @ApiProperty({
    enum: ['sandbox', 'production', 'mock'],
    description:
      "Kind of environment: the bank's sandbox, its production service or the project's mock bank.",
  })
  environment!: BankEnvironment;

  @ApiProperty({
    type: BankProfileApiVersionsDto,
    description: 'Open Banking spec version per API the bank offers.',
  })
  apiVersions!: BankProfileApiVersionsDto;

  @ApiProperty({
    enum: ['dcr', 'manual'],
    description:
      "How clients are registered: by Dynamic Client Registration, or manually in the bank's portal and then imported.",
  })
  registrationMode!: 'dcr' | 'manual';

  @ApiPropertyOptional({
    description:
      "The profile whose registration (client) this brand shares (registration.sharedWith): register that profile first, under the same software statement; this profile's bank registrations then reuse its client.",
    example: 'lloyds-personal',
  })
  sharesRegistrationOf?: string;

  @ApiProperty({
    enum: ['tls_client_auth', 'private_key_jwt', 'client_secret_basic', 'client_secret_post'],
    description: "How the connector authenticates to the bank's token endpoint.",
  })
  tokenEndpointAuthMethod!: TokenEndpointAuthMethod;

  @ApiProperty({
    enum: CONSENT_TYPES,
    isArray: true,
    description: 'Consent types this profile supports.',
  })
  consentTypes!: ConsentType[];

  @ApiProperty({
    description:
      'False while values the bank does not publish are missing from the configuration; such a profile cannot be used yet.',
  })
  configured!: boolean;

  @ApiProperty({
    enum: CONFIGURABLE_KEYS,
    isArray: true,
    description: 'The values still to be set in BANK_PROFILE_OVERRIDES (empty when configured).',
  })
  missingConfiguration!: ConfigurableKey[];

  @ApiPropertyOptional({
    description:
      "OpenID Connect issuer of the bank's authorisation server (after configuration overrides); absent while not configured.",
  })
  issuerUrl?: string;

  @ApiPropertyOptional({
    description:
      "The bank's Open Banking organisation id (x-fapi-financial-id); absent while not configured.",
  })
  financialId?: string;

  /** Field by field, so internal profile details (quirks, file paths) never leak by accident. */
  static from(profile: BankProfile): BankProfileResponseDto {
    const dto = new BankProfileResponseDto();
    dto.id = profile.id;
    dto.displayName = profile.displayName;
    dto.group = profile.group;
    if (profile.brand !== undefined) dto.brand = profile.brand;
    dto.environment = profile.environment;
    const versions = new BankProfileApiVersionsDto();
    if (profile.apis.accountAndTransaction)
      versions.accountAndTransaction = profile.apis.accountAndTransaction.version;
    if (profile.apis.paymentInitiation)
      versions.paymentInitiation = profile.apis.paymentInitiation.version;
    if (profile.apis.variableRecurringPayments)
      versions.variableRecurringPayments = profile.apis.variableRecurringPayments.version;
    dto.apiVersions = versions;
    dto.registrationMode = profile.registration.mode;
    if (profile.registration.sharedWith !== undefined)
      dto.sharesRegistrationOf = profile.registration.sharedWith;
    dto.tokenEndpointAuthMethod = profile.tokenEndpointAuthMethod;
    dto.consentTypes = [...profile.consentTypes];
    dto.configured = profile.configured;
    dto.missingConfiguration = [...profile.missingConfiguration];
    if (profile.issuerUrl !== undefined) dto.issuerUrl = profile.issuerUrl;
    if (profile.financialId !== undefined) dto.financialId = profile.financialId;
    return dto;
  }
}
