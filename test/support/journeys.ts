import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { LoadedPki } from '../../apps/mock-bank/src/pki';
import { ApiResponse, ConnectorApiClient } from './api-client';

/** One call of a journey, as the demo prints it and the tests assert it. */
export interface JourneyStep {
  label: string;
  method: string;
  path: string;
  status: number;
  body: Record<string, unknown>;
}

export class JourneyError extends Error {
  constructor(
    readonly step: string,
    readonly response: ApiResponse,
  ) {
    super(`${step}: HTTP ${response.status} ${response.text}`);
  }
}

async function expectStatus(
  steps: JourneyStep[],
  label: string,
  method: string,
  path: string,
  call: Promise<ApiResponse>,
  expected: number,
): Promise<Record<string, unknown>> {
  const response = await call;
  if (response.status !== expected) throw new JourneyError(label, response);
  const body = (response.body ?? {}) as Record<string, unknown>;
  steps.push({ label, method, path, status: response.status, body });
  return body;
}

export interface RegistrationJourneyResult {
  steps: JourneyStep[];
  obwacCertificateId: string;
  obsealCertificateId: string;
  softwareStatementId: string;
  bankRegistrationId: string;
  externalApiId: string;
}

export interface RegistrationJourneyOptions {
  bankProfile?: string;
  redirectUri: string;
  /** Give the SSA from a file instead of fetching it from the directory. */
  ssaFile?: string;
}

export interface SoftwareStatementJourneyResult {
  steps: JourneyStep[];
  obwacCertificateId: string;
  obsealCertificateId: string;
  softwareStatementId: string;
}

/** Certificates and a software statement (SSA from the mock directory, or from `ssaFile`). */
export async function softwareStatementJourney(
  api: ConnectorApiClient,
  pki: LoadedPki,
  options: Pick<RegistrationJourneyOptions, 'redirectUri' | 'ssaFile'>,
): Promise<SoftwareStatementJourneyResult> {
  const steps: JourneyStep[] = [];
  const file = (name: string): { source: 'file'; name: string } => ({
    source: 'file',
    name: join(pki.dir, name),
  });

  const obwac = await expectStatus(
    steps,
    'Register the OBWAC transport certificate',
    'POST',
    '/v1/manage/obwac-certificates',
    api.post('/v1/manage/obwac-certificates', {
      certificatePem: pki.pem.tppTransport,
      privateKey: file(pki.manifest.files.tppTransportKey),
      reference: 'demo transport certificate',
    }),
    201,
  );

  const obseal = await expectStatus(
    steps,
    'Register the OBSeal signing key',
    'POST',
    '/v1/manage/obseal-certificates',
    api.post('/v1/manage/obseal-certificates', {
      keyId: pki.manifest.signingKid,
      privateKey: file(pki.manifest.files.tppSigningKey),
      certificatePem: pki.pem.tppSigning,
      reference: 'demo signing key',
    }),
    201,
  );

  const statementBody: Record<string, unknown> = {
    organisationId: pki.manifest.organisationId,
    softwareId: pki.manifest.softwareId,
    sandboxEnvironment: true,
    obwacCertificateId: obwac.id,
    obsealCertificateId: obseal.id,
    defaultRedirectUri: options.redirectUri,
    redirectUris: [options.redirectUri],
  };
  if (options.ssaFile)
    statementBody.softwareStatementAssertion = { source: 'file', name: options.ssaFile };
  const statement = await expectStatus(
    steps,
    'Create the software statement',
    'POST',
    '/v1/manage/software-statements',
    api.post('/v1/manage/software-statements', statementBody),
    201,
  );
  return {
    steps,
    obwacCertificateId: String(obwac.id),
    obsealCertificateId: String(obseal.id),
    softwareStatementId: String(statement.id),
  };
}

/**
 * The foundation journey: certificates, a software statement (SSA from the mock directory),
 * DCR with the bank, and a read-back of the registration from the bank (which needs a
 * client-credentials token).
 */
export async function registrationJourney(
  api: ConnectorApiClient,
  pki: LoadedPki,
  options: RegistrationJourneyOptions,
): Promise<RegistrationJourneyResult> {
  const statement = await softwareStatementJourney(api, pki, options);
  const steps = statement.steps;

  const registration = await expectStatus(
    steps,
    'Register with the bank (UK DCR over mTLS)',
    'POST',
    '/v1/manage/bank-registrations',
    api.post('/v1/manage/bank-registrations', {
      bankProfile: options.bankProfile ?? 'mock-bank',
      softwareStatementId: statement.softwareStatementId,
    }),
    201,
  );

  await expectStatus(
    steps,
    'Read the registration back from the bank (client-credentials token)',
    'GET',
    `/v1/manage/bank-registrations/${String(registration.id)}`,
    api.get(`/v1/manage/bank-registrations/${String(registration.id)}`),
    200,
  );

  return {
    ...statement,
    steps,
    bankRegistrationId: String(registration.id),
    externalApiId: String(registration.externalApiId),
  };
}

/** The parameters of a bank redirect, from its fragment (hybrid flow) or its query. */
export function redirectParameters(redirectUrl: string): Record<string, string> {
  const url = new URL(redirectUrl);
  const raw = url.hash.length > 1 ? url.hash.slice(1) : url.search.slice(1);
  return Object.fromEntries(new URLSearchParams(raw));
}

export interface AuthorisedConsent {
  consentId: string;
  externalApiId: string;
  steps: JourneyStep[];
}

/**
 * Creates an account-access consent from the MaximumPermissions template, authorises it at the
 * mock bank headlessly (its admin path drives the consent page), and hands the redirect to the
 * connector's delegate.
 */
export async function authoriseAccountAccess(
  api: ConnectorApiClient,
  bank: { admin<T>(path: string, body?: unknown): Promise<T> },
  bankRegistrationId: string,
): Promise<AuthorisedConsent> {
  const steps: JourneyStep[] = [];
  const consent = await expectStatus(
    steps,
    'Create an account-access consent (MaximumPermissions, pruned per profile)',
    'POST',
    '/v1/aisp/account-access-consents',
    api.post('/v1/aisp/account-access-consents', {
      bankRegistrationId,
      templateRequest: { type: 'MaximumPermissions' },
    }),
    201,
  );
  const consentId = String(consent.id);
  const authContext = await expectStatus(
    steps,
    'Create an auth context (PS256 request object, authorisation URL)',
    'POST',
    `/v1/aisp/account-access-consents/${consentId}/auth-contexts`,
    api.post(`/v1/aisp/account-access-consents/${consentId}/auth-contexts`, {}),
    201,
  );
  const { redirectUrl } = await bank.admin<{ redirectUrl: string }>('/authorise', {
    authUrl: authContext.authUrl,
    decision: 'approve',
  });
  await expectStatus(
    steps,
    'The PSU approves at the bank; the redirect goes to the delegate (ID token checked, code exchanged)',
    'POST',
    '/v1/auth/redirect-delegate',
    api.post('/v1/auth/redirect-delegate', redirectParameters(redirectUrl)),
    200,
  );
  return { consentId, externalApiId: String(consent.externalApiId), steps };
}

/**
 * Authorises any consent type through its auth-contexts route and the mock bank's headless
 * approval, then the delegate.
 */
export async function authoriseConsent(
  api: ConnectorApiClient,
  bank: { admin<T>(path: string, body?: unknown): Promise<T> },
  authContextsPath: string,
): Promise<{ authUrl: string }> {
  const ctx = await api.post<{ authUrl: string }>(authContextsPath, {});
  if (ctx.status !== 201) throw new JourneyError(`POST ${authContextsPath}`, ctx);
  const { redirectUrl } = await bank.admin<{ redirectUrl: string }>('/authorise', {
    authUrl: ctx.body.authUrl,
    decision: 'approve',
  });
  const done = await api.post('/v1/auth/redirect-delegate', redirectParameters(redirectUrl));
  if (done.status !== 200) throw new JourneyError('POST /v1/auth/redirect-delegate', done);
  return { authUrl: ctx.body.authUrl };
}

/**
 * The body of POST /v1/vrp/domestic-vrp-consents for a sweeping VRP consent: at most GBP 50.00 a
 * payment and GBP 100.00 a calendar month, no SCA per payment.
 */
export function sweepingVrpConsent(
  bankRegistrationId: string,
  initiation: Record<string, unknown>,
): Record<string, unknown> {
  return {
    bankRegistrationId,
    externalApiRequest: {
      Data: {
        ControlParameters: {
          VRPType: ['UK.OBIE.VRPType.Sweeping'],
          PSUAuthenticationMethods: ['UK.OBIE.SCANotRequired'],
          MaximumIndividualAmount: { Amount: '50.00', Currency: 'GBP' },
          PeriodicLimits: [
            { PeriodType: 'Month', PeriodAlignment: 'Calendar', Amount: '100.00', Currency: 'GBP' },
          ],
        },
        Initiation: initiation,
      },
      Risk: {},
    },
  };
}

/** The creditor account the payment journeys pay (a mock-bank sort code and account number). */
export const CREDITOR = {
  SchemeName: 'UK.OBIE.SortCodeAccountNumber',
  Identification: '08080021325698',
  Name: 'ACME Inc',
};

/**
 * The body of POST /v1/pisp/domestic-payment-consents paying `amount` GBP to CREDITOR. With a
 * `ref` the identifications are `i-<ref>` and `e-<ref>` (the same ref makes the same body, for
 * replays); without one each is random.
 */
export function domesticPaymentConsent(
  bankRegistrationId: string,
  amount: string,
  ref?: string,
): Record<string, unknown> {
  const id = () => ref ?? randomUUID().slice(0, 8);
  return {
    bankRegistrationId,
    externalApiRequest: {
      Data: {
        Initiation: {
          InstructionIdentification: `i-${id()}`,
          EndToEndIdentification: `e-${id()}`,
          InstructedAmount: { Amount: amount, Currency: 'GBP' },
          CreditorAccount: CREDITOR,
        },
      },
      Risk: {},
    },
  };
}

/** Creates a domestic payment consent (a fresh idempotency key) and authorises it at the mock bank. */
export async function authorisedPaymentConsent<T extends { id: string }>(
  api: ConnectorApiClient,
  bank: { admin<R>(path: string, body?: unknown): Promise<R> },
  bankRegistrationId: string,
  amount: string,
): Promise<T> {
  const consent = await api.post<T>(
    '/v1/pisp/domestic-payment-consents',
    domesticPaymentConsent(bankRegistrationId, amount),
    { 'idempotency-key': randomUUID() },
  );
  if (consent.status !== 201)
    throw new JourneyError('POST /v1/pisp/domestic-payment-consents', consent);
  await authoriseConsent(
    api,
    bank,
    `/v1/pisp/domestic-payment-consents/${consent.body.id}/auth-contexts`,
  );
  return consent.body;
}

/**
 * The body of POST /v1/vrp/domestic-vrps under a sweeping VRP consent made with `initiation`:
 * `amount` GBP to CREDITOR, both identifications `vrp-<ref>`.
 */
export function sweepingVrpPayment(
  domesticVrpConsentId: string,
  initiation: Record<string, unknown>,
  amount: string,
  ref: string,
): Record<string, unknown> {
  return {
    domesticVrpConsentId,
    externalApiRequest: {
      Data: {
        PSUAuthenticationMethod: 'UK.OBIE.SCANotRequired',
        VRPType: 'UK.OBIE.VRPType.Sweeping',
        Initiation: initiation,
        Instruction: {
          InstructionIdentification: `vrp-${ref}`,
          EndToEndIdentification: `vrp-${ref}`,
          InstructedAmount: { Amount: amount, Currency: 'GBP' },
          CreditorAccount: CREDITOR,
        },
      },
      Risk: {},
    },
  };
}
