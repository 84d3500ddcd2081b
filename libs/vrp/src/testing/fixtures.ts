import type { BankRegistrationDetails } from '@obc/bank-registration';
import type { ClientContext } from '@obc/token-management';
import { DomesticVrpConsentEntity } from '../consents/domestic-vrp-consent.entity';

export const REGISTRATION_ID = '11111111-1111-4111-8111-111111111111';
export const CONSENT_ID = '33333333-3333-4333-8333-333333333333';
export const VRP_ID = '44444444-4444-4444-8444-444444444444';

export function clientContext(): ClientContext {
  return {
    registrationId: REGISTRATION_ID,
    profileId: 'test-bank',
    clientId: 'client-1',
    authMethod: 'tls_client_auth',
    tokenEndpoint: 'https://auth.test-bank.example/token',
    issuer: 'https://auth.test-bank.example',
    transport: { id: 'wac-1', certificatePem: 'CERT', privateKeyPem: 'KEY' },
    signingKey: { kid: 'kid-1', privateKeyPem: 'SEAL' },
    financialId: '0015800001041TEST',
  };
}

export function registrationDetails(): BankRegistrationDetails {
  return {
    registrationId: REGISTRATION_ID,
    bankProfile: 'test-bank',
    clientId: 'client-1',
    scopes: ['openid', 'payments'],
    redirectUris: ['https://app.example/cb'],
    defaultRedirectUri: 'https://app.example/cb',
    organisationId: 'org-1',
    softwareId: 'sw-1',
  };
}

export function vrpConsentRow(
  patch: Partial<DomesticVrpConsentEntity> = {},
): DomesticVrpConsentEntity {
  return Object.assign(new DomesticVrpConsentEntity(), {
    id: CONSENT_ID,
    created: new Date('2026-01-01T00:00:00Z'),
    createdBy: 'key-1',
    reference: null,
    deleted: null,
    bankRegistrationId: REGISTRATION_ID,
    externalApiId: 'bank-vrp-consent-1',
    status: 'AUTH',
    externalApiResponse: { Data: { ConsentId: 'bank-vrp-consent-1', Status: 'AUTH' } },
    authorisedAt: new Date('2026-01-01T00:05:00Z'),
    ...patch,
  });
}

export function consentRequest(
  controlParameters: Record<string, unknown> | null = {
    VRPType: ['UK.OBIE.VRPType.Sweeping'],
    PSUAuthenticationMethods: ['UK.OBIE.SCANotRequired'],
    MaximumIndividualAmount: { Amount: '100.00', Currency: 'GBP' },
    PeriodicLimits: [
      { PeriodType: 'Month', PeriodAlignment: 'Calendar', Amount: '500.00', Currency: 'GBP' },
    ],
  },
): Record<string, unknown> {
  return {
    Data: {
      ...(controlParameters ? { ControlParameters: controlParameters } : {}),
      Initiation: {
        CreditorAccount: {
          SchemeName: 'UK.OBIE.SortCodeAccountNumber',
          Identification: '11223344556677',
          Name: 'Savings',
        },
      },
    },
    Risk: {},
  };
}

export function vrpRequest(amount = '25.00', currency = 'GBP'): Record<string, unknown> {
  return {
    Data: {
      ConsentId: 'whatever-the-caller-sent',
      PSUAuthenticationMethod: 'UK.OBIE.SCANotRequired',
      VRPType: 'UK.OBIE.VRPType.Sweeping',
      Initiation: {},
      Instruction: {
        InstructionIdentification: 'i-1',
        EndToEndIdentification: 'e-1',
        InstructedAmount: { Amount: amount, Currency: currency },
        CreditorAccount: {},
      },
    },
    Risk: {},
  };
}
