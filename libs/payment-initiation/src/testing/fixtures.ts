import type { BankRegistrationDetails } from '@obc/bank-registration';
import type { ClientContext } from '@obc/token-management';
import { DomesticPaymentConsentEntity } from '../consents/domestic-payment-consent.entity';
import type { ObWriteDomesticConsent } from '../consents/domestic-payment-consent.types';

export const REGISTRATION_ID = '11111111-1111-4111-8111-111111111111';
export const CONSENT_ID = '33333333-3333-4333-8333-333333333333';
export const PAYMENT_ID = '44444444-4444-4444-8444-444444444444';

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

export function initiation(amount = '10.50', currency = 'GBP'): Record<string, unknown> {
  return {
    InstructionIdentification: 'instr-1',
    EndToEndIdentification: 'e2e-1',
    InstructedAmount: { Amount: amount, Currency: currency },
    CreditorAccount: {
      SchemeName: 'UK.OBIE.SortCodeAccountNumber',
      Identification: '08080021325698',
      Name: 'ACME Inc',
    },
    RemittanceInformation: { Reference: 'FRESCO-101' },
  };
}

export function consentRequest(amount = '10.50', currency = 'GBP'): ObWriteDomesticConsent {
  return {
    Data: { Initiation: initiation(amount, currency) as never },
    Risk: { PaymentContextCode: 'EcommerceGoods' },
  };
}

export function consentRow(
  patch: Partial<DomesticPaymentConsentEntity> = {},
): DomesticPaymentConsentEntity {
  return Object.assign(new DomesticPaymentConsentEntity(), {
    id: CONSENT_ID,
    created: new Date('2026-01-01T00:00:00Z'),
    createdBy: 'key-1',
    reference: null,
    deleted: null,
    bankRegistrationId: REGISTRATION_ID,
    externalApiId: 'pdc-1',
    status: 'AUTH',
    externalApiRequest: {
      Data: { Initiation: initiation() },
      Risk: { PaymentContextCode: 'EcommerceGoods' },
    },
    externalApiResponse: { Data: { ConsentId: 'pdc-1', Status: 'AUTH' } },
    authorisedAt: new Date('2026-01-01T00:05:00Z'),
    ...patch,
  });
}
