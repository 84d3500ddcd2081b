import { resolveProfile } from '../bank-profile-resolve';
import {
  STANDARD_DISCOVERY,
  DEFAULT_MESSAGE_SIGNING,
  STANDARD_QUIRKS,
  STANDARD_REGISTRATION,
  type BankProfile,
  type BankProfileDefinition,
} from '../bank-profile.types';

/** A minimal valid profile file content (as written on disk, before defaults). */
export function profileDocument(
  id = 'test-bank',
  patch: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    displayName: 'Test Bank',
    group: 'test',
    environment: 'sandbox',
    issuerUrl: 'https://auth.test-bank.example',
    financialId: '0015800001041TEST',
    apis: {
      accountAndTransaction: {
        version: 'v4.0',
        baseUrl: 'https://rs.test-bank.example/open-banking/v4.0/aisp',
      },
      paymentInitiation: {
        version: 'v4.0',
        baseUrl: 'https://rs.test-bank.example/open-banking/v4.0/pisp',
      },
    },
    tokenEndpointAuthMethod: 'tls_client_auth',
    ...patch,
  };
}

/**
 * A loaded BankProfile for unit tests of code that consumes profiles (no files involved).
 * Standard behaviour unless `patch` says otherwise.
 */
export function buildBankProfile(patch: Partial<BankProfileDefinition> = {}): BankProfile {
  const definition: BankProfileDefinition = {
    id: 'test-bank',
    displayName: 'Test Bank',
    group: 'test',
    environment: 'sandbox',
    issuerUrl: 'https://auth.test-bank.example',
    financialId: '0015800001041TEST',
    apis: {
      accountAndTransaction: {
        version: 'v4.0',
        baseUrl: 'https://rs.test-bank.example/open-banking/v4.0/aisp',
      },
      paymentInitiation: {
        version: 'v4.0',
        baseUrl: 'https://rs.test-bank.example/open-banking/v4.0/pisp',
      },
      variableRecurringPayments: {
        version: 'v4.0',
        baseUrl: 'https://rs.test-bank.example/open-banking/v4.0/vrp',
      },
    },
    registration: structuredClone(STANDARD_REGISTRATION),
    tokenEndpointAuthMethod: 'tls_client_auth',
    requiredConfiguration: [],
    discovery: structuredClone(STANDARD_DISCOVERY),
    messageSigning: { ...DEFAULT_MESSAGE_SIGNING },
    quirks: structuredClone(STANDARD_QUIRKS),
    ...patch,
  };
  return resolveProfile(definition, `bank-profiles/${definition.id}.json`);
}
