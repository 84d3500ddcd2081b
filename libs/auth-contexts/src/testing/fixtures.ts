import { generateKeyPairSync } from 'node:crypto';
import { Clock, RandomSource } from '@obc/common';
import { buildBankProfile, type BankProfile } from '@obc/bank-profiles';
import type { ClientContext, OpenIdMetadata } from '@obc/token-management';
import type { ConsentDescription } from '../consent-authorisation-target';

export const ISSUER = 'https://auth.test-bank.example';
export const AUTHORIZATION_ENDPOINT = 'https://auth.test-bank.example/authorize?realm=ob';
export const JWKS_URI = 'https://auth.test-bank.example/jwks';

export const signingKeyPair = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const SIGNING_KEY_PEM = signingKeyPair.privateKey
  .export({ type: 'pkcs8', format: 'pem' })
  .toString();

export function testMetadata(): OpenIdMetadata {
  return {
    issuer: ISSUER,
    token_endpoint: `${ISSUER}/token`,
    jwks_uri: JWKS_URI,
    authorization_endpoint: AUTHORIZATION_ENDPOINT,
    raw: {},
  };
}

export function testClient(): ClientContext {
  return {
    registrationId: 'reg-1',
    profileId: 'test-bank',
    clientId: 'client-123',
    authMethod: 'tls_client_auth',
    tokenEndpoint: `${ISSUER}/token`,
    issuer: ISSUER,
    transport: { id: 'obwac-1', certificatePem: 'CERT', privateKeyPem: 'KEY' },
    trustedCaPem: 'CA',
    signingKey: { kid: 'kid-1', privateKeyPem: SIGNING_KEY_PEM },
    financialId: '0015800001041TEST',
  };
}

export function testConsent(
  patch: Partial<ConsentDescription> = {},
  authorisation: Partial<BankProfile['quirks']['authorisation']> = {},
): ConsentDescription {
  const profile = buildBankProfile();
  profile.quirks = {
    ...profile.quirks,
    authorisation: { ...profile.quirks.authorisation, ...authorisation },
  };
  return {
    client: testClient(),
    profile,
    intentId: 'aac-bank-0001',
    redirectUris: ['https://app.example/cb', 'https://app.example/other'],
    defaultRedirectUri: 'https://app.example/cb',
    status: 'AwaitingAuthorisation',
    ...patch,
  };
}

export class FixedClock extends Clock {
  constructor(public current: Date) {
    super();
  }
  now(): Date {
    return new Date(this.current.getTime());
  }
}

/** Deterministic but distinct values, so tests can tell state, nonce and verifier apart. */
export class SequenceRandom extends RandomSource {
  private n = 0;
  uuid(): string {
    this.n += 1;
    return `00000000-0000-4000-8000-${String(this.n).padStart(12, '0')}`;
  }
  token(bytes = 32): string {
    this.n += 1;
    return `tok${this.n}-${'x'.repeat(bytes)}`;
  }
}
