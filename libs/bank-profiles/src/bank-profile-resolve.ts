import {
  BANK_APIS,
  BankApiKind,
  BankProfile,
  BankProfileDefinition,
  CONSENT_TYPE_BY_API,
  ConfigurableKey,
} from './bank-profile.types';

/** OpenID Connect Discovery: strip a terminating '/', then append the well-known path. */
export function defaultWellKnownUrl(issuerUrl: string): string {
  return `${issuerUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

function valueOf(definition: BankProfileDefinition, key: ConfigurableKey): string | undefined {
  switch (key) {
    case 'issuerUrl':
      return definition.issuerUrl;
    case 'wellKnownUrl':
      return definition.wellKnownUrl;
    case 'financialId':
      return definition.financialId;
    case 'apis.accountAndTransaction.baseUrl':
      return definition.apis.accountAndTransaction?.baseUrl;
    case 'apis.paymentInitiation.baseUrl':
      return definition.apis.paymentInitiation?.baseUrl;
    case 'apis.variableRecurringPayments.baseUrl':
      return definition.apis.variableRecurringPayments?.baseUrl;
    case 'apis.accountAndTransaction.financialId':
      return definition.apis.accountAndTransaction?.financialId;
    case 'apis.paymentInitiation.financialId':
      return definition.apis.paymentInitiation?.financialId;
    case 'apis.variableRecurringPayments.financialId':
      return definition.apis.variableRecurringPayments?.financialId;
    case 'tls.caBundleFile':
      return definition.tls?.caBundleFile;
  }
}

/** The loaded form of a definition (overrides already applied). */
export function resolveProfile(definition: BankProfileDefinition, sourceFile: string): BankProfile {
  const missingConfiguration = definition.requiredConfiguration.filter(
    (key) => !valueOf(definition, key),
  );
  const wellKnownUrl =
    definition.wellKnownUrl ??
    (definition.issuerUrl ? defaultWellKnownUrl(definition.issuerUrl) : undefined);
  const consentTypes =
    definition.consentTypes ??
    BANK_APIS.filter((api) => definition.apis[api]).map((api) => CONSENT_TYPE_BY_API[api]);
  return {
    ...definition,
    wellKnownUrl,
    consentTypes,
    configured: missingConfiguration.length === 0,
    missingConfiguration,
    sourceFile,
  };
}

/**
 * The x-fapi-financial-id of one API's calls: the API's own `financialId` when the profile names
 * one (`apis.<api>.financialId`), else the profile's.
 */
export function apiFinancialId(
  profile: Pick<BankProfileDefinition, 'financialId' | 'apis'>,
  api: BankApiKind,
): string | undefined {
  return profile.apis[api]?.financialId ?? profile.financialId;
}
