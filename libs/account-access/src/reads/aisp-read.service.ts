import { Inject, Injectable, Logger } from '@nestjs/common';
import { BankHttpClient } from '@obc/bank-http';
import { apiFinancialId, BANK_PROFILE_REGISTRY, BankProfileRegistry } from '@obc/bank-profiles';
import { ClientContextFactory } from '@obc/bank-registration';
import {
  BankCallError,
  CONSENT_STATUS,
  DomainError,
  NotFoundError,
  repairResponseDateTimes,
} from '@obc/common';
import { ConnectorConfig } from '@obc/config';
import { accountAccessMapper } from '@obc/ob-versions';
import type { ClientContext } from '@obc/token-management';
import { CONSENT_TOKENS, ConsentTokens } from '../account-access.ports';
import { accountApiBaseUrl, unsupportedEndpointError } from '../consents/account-access-api';
import { AccountAccessConsentEntity } from '../consents/account-access-consent.entity';
import { AccountAccessConsentRepository } from '../consents/account-access-consent.repository';
import { CONSENT_RESOURCE, consentRef } from '../consents/account-access-consent.service';
import { AispPathParams, AispReadEndpoint } from './aisp-endpoints';
import { bankPath, bankQueryString } from './aisp-request';
import { rewriteLinks } from './links-rewriter';

export const ACCOUNT_ACCESS_CONSENT_HEADER = 'x-account-access-consent-id';

export interface AispReadRequest {
  endpoint: AispReadEndpoint;
  params: AispPathParams;
  query: Record<string, unknown>;
  /** The x-account-access-consent-id header as received. */
  consentId: string | undefined;
}

export interface AispReadResult {
  /** The bank's OB body, Links rewritten to the connector. */
  body: unknown;
  interactionId: string;
}

export function notAuthorisedError(detail: string, error?: BankCallError): DomainError {
  return new DomainError('consent/not-authorised', 'forbidden', 'The consent is not authorised', {
    detail,
    bank: error?.bank,
    cause: error,
  });
}

/** One read path for every AISP resource (see AISP_READ_ENDPOINTS). */
@Injectable()
export class AispReadService {
  private readonly logger = new Logger(AispReadService.name);

  constructor(
    private readonly consents: AccountAccessConsentRepository,
    private readonly clients: ClientContextFactory,
    @Inject(BANK_PROFILE_REGISTRY) private readonly profiles: BankProfileRegistry,
    @Inject(CONSENT_TOKENS) private readonly tokens: ConsentTokens,
    private readonly http: BankHttpClient,
    private readonly config: ConnectorConfig,
  ) {}

  async read(request: AispReadRequest): Promise<AispReadResult> {
    const path = bankPath(request.endpoint, request.params);
    const query = bankQueryString(request.query);
    const consent = await this.authorisedConsent(request.consentId);
    const client = await this.clients.forRegistration(consent.bankRegistrationId);
    const profile = this.profiles.get(client.profileId);
    const base = accountApiBaseUrl(profile);
    const url = `${base}${path}${query ? `?${query}` : ''}`;
    const ref = consentRef(consent.id);

    let token = await this.tokens.getAccessToken(ref, client);
    let response: { data: unknown; interactionId: string };
    try {
      response = await this.call(request.endpoint, url, client, token);
    } catch (error: unknown) {
      if (!isBankStatus(error, 401))
        throw this.translate(error, client.profileId, request.endpoint);
      // The bank refused a token we thought valid (revoked, or expired early): refresh once.
      this.logger.warn(`bank refused the access token of consent ${consent.id}; refreshing once`);
      await this.tokens.invalidate(ref, token);
      token = await this.tokens.getAccessToken(ref, client);
      try {
        response = await this.call(request.endpoint, url, client, token);
      } catch (retryError: unknown) {
        if (isBankStatus(retryError, 401)) {
          throw notAuthorisedError(
            'The bank refused the access token of this consent even after a refresh; authorise the consent again.',
            retryError as BankCallError,
          );
        }
        throw this.translate(retryError, client.profileId, request.endpoint);
      }
    }
    // Profile quirks: the bank's date-times repaired (an invalid one dropped) first; then a v3.1.11 bank's body becomes
    // v4.0 (profile apis.accountAndTransaction.version).
    const data = repairResponseDateTimes(response.data, profile.quirks.responses);
    const body = accountAccessMapper(profile.apis.accountAndTransaction?.version).readResponse(
      data,
    );
    return {
      body: rewriteLinks(body, base, this.config.server.publicBaseUrl),
      interactionId: response.interactionId,
    };
  }

  private async authorisedConsent(id: string | undefined): Promise<AccountAccessConsentEntity> {
    if (id === undefined || id.trim() === '') {
      throw new DomainError(
        'account-access-consent/header-missing',
        'validation',
        `The ${ACCOUNT_ACCESS_CONSENT_HEADER} header is required`,
        {
          detail: `Send the id of an authorised account-access consent in the ${ACCOUNT_ACCESS_CONSENT_HEADER} header.`,
          errors: [{ field: ACCOUNT_ACCESS_CONSENT_HEADER, message: 'is required' }],
        },
      );
    }
    const consent = await this.consents.findForRead(id);
    if (!consent) throw new NotFoundError(CONSENT_RESOURCE, id);
    if (consent.status !== CONSENT_STATUS.authorised) {
      throw notAuthorisedError(
        `Consent '${id}' has status ${consent.status}, not ${CONSENT_STATUS.authorised}: create an auth context and let the customer authorise it.`,
      );
    }
    return consent;
  }

  private async call(
    endpoint: AispReadEndpoint,
    url: string,
    client: ClientContext,
    token: string,
  ): Promise<{ data: unknown; interactionId: string }> {
    const response = await this.http.request<unknown>({
      profileId: client.profileId,
      endpoint: `aisp.${endpoint}`,
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      transport: client.transport,
      trustedCaPem: client.trustedCaPem,
      // Profile: the AIS API's own financial id when it names one (apis.accountAndTransaction).
      financialId:
        apiFinancialId(this.profiles.get(client.profileId), 'accountAndTransaction') ??
        client.financialId,
    });
    return { data: response.data, interactionId: response.interactionId };
  }

  /** Bank vocabulary → the connector's, for the cases a caller acts on differently. */
  private translate(error: unknown, profileId: string, endpoint: AispReadEndpoint): unknown {
    if (!(error instanceof BankCallError)) return error;
    if (isBankStatus(error, 403) && mentionsConsent(error.bank?.body)) {
      return notAuthorisedError('The bank refused access under this consent.', error);
    }
    if (isBankStatus(error, 501)) return unsupportedEndpointError(profileId, endpoint);
    return error;
  }
}

function isBankStatus(error: unknown, status: number): error is BankCallError {
  return error instanceof BankCallError && error.bank?.status === status;
}

/** OB error bodies name consent problems in ErrorCode (UK.OBIE.Resource.ConsentMismatch, ...). */
function mentionsConsent(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false;
  const errors = (body as { Errors?: unknown }).Errors;
  if (!Array.isArray(errors)) return false;
  return errors.some((e: unknown) => {
    if (e === null || typeof e !== 'object') return false;
    const { ErrorCode, Message } = e as { ErrorCode?: unknown; Message?: unknown };
    return /consent/i.test(`${String(ErrorCode ?? '')} ${String(Message ?? '')}`);
  });
}
