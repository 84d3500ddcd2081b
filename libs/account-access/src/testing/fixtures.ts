import type { BankRegistrationDetails } from '@obc/bank-registration';
import type { ClientContext } from '@obc/token-management';
import { AccountAccessConsentEntity } from '../consents/account-access-consent.entity';

export const REGISTRATION_ID = '11111111-1111-4111-8111-111111111111';
export const CONSENT_ID = '22222222-2222-4222-8222-222222222222';

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
    scopes: ['openid', 'accounts'],
    redirectUris: ['https://app.example/cb', 'https://app.example/cb2'],
    defaultRedirectUri: 'https://app.example/cb',
    organisationId: 'org-1',
    softwareId: 'sw-1',
  };
}

export function consentRow(
  patch: Partial<AccountAccessConsentEntity> = {},
): AccountAccessConsentEntity {
  return Object.assign(new AccountAccessConsentEntity(), {
    id: CONSENT_ID,
    created: new Date('2026-01-01T00:00:00Z'),
    createdBy: 'key-1',
    reference: null,
    deleted: null,
    bankRegistrationId: REGISTRATION_ID,
    externalApiId: 'bank-consent-1',
    status: 'AWAU',
    externalApiUserId: null,
    externalApiResponse: { Data: { ConsentId: 'bank-consent-1', Status: 'AwaitingAuthorisation' } },
    authorisedAt: null,
    idempotencyKey: null,
    requestHash: null,
    ...patch,
  });
}
