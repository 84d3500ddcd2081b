import {
  DEFAULT_MESSAGE_SIGNING,
  STANDARD_DISCOVERY,
  STANDARD_QUIRKS,
  type BankProfile,
} from '@obc/bank-profiles';

/** Test data builders (test-only). */
export function testProfile(
  overrides: Partial<BankProfile> = {},
  registration: Partial<BankProfile['registration']> = {},
): BankProfile {
  return {
    id: 'mock-bank',
    displayName: 'Mock bank',
    group: 'Mock',
    environment: 'mock',
    issuerUrl: 'https://localhost:8443',
    wellKnownUrl: 'https://localhost:8443/.well-known/openid-configuration',
    financialId: '0015800001041RbAAI',
    apis: {},
    registration: {
      mode: 'dcr',
      dcrVersion: '3.3',
      requestContentType: 'application/jwt',
      audience: 'financial-id',
      getSupported: true,
      deleteSupported: true,
      managementAuth: 'client-credentials',
      subjectDnFormat: 'oid',
      scopeFormat: 'space-separated',
      clientIdIssuedAtUnit: 'seconds',
      defaultScopes: ['openid', 'accounts', 'payments'],
      separateClientsPerApi: false,
      grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
      ...registration,
    },
    tokenEndpointAuthMethod: 'private_key_jwt',
    requiredConfiguration: [],
    discovery: structuredClone(STANDARD_DISCOVERY),
    messageSigning: { ...DEFAULT_MESSAGE_SIGNING },
    quirks: structuredClone(STANDARD_QUIRKS),
    consentTypes: ['account-access'],
    configured: true,
    missingConfiguration: [],
    sourceFile: 'bank-profiles/mock-bank.json',
    ...overrides,
  };
}

/** An unsigned-looking compact JWT with the given payload (the connector never verifies SSAs). */
export function fakeJwt(payload: Record<string, unknown>): string {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'PS256', typ: 'JWT' })}.${part(payload)}.c2ln`;
}
