import { Inject, Injectable } from '@nestjs/common';
import { BankHttpClient, BankHttpMethod, BankRequestBody } from '@obc/bank-http';
import { apiFinancialId, BANK_PROFILE_REGISTRY, BankProfileRegistry } from '@obc/bank-profiles';
import { BankCallError } from '@obc/common';
import { accountAccessMapper, type AccountAccessVersionMapper } from '@obc/ob-versions';
import { ClientContext, TokenService } from '@obc/token-management';
import { accountApiBaseUrl } from './account-access-api';
import type { ObReadConsent } from './consent-request';

/** The scope of client-credentials tokens for consent management. */
export const ACCOUNTS_SCOPE = 'accounts';

export interface BankConsent {
  consentId: string;
  status: string;
  /** OBReadConsentResponse1 as the bank sent it. */
  body: Record<string, unknown>;
  interactionId: string;
}

/** The bank's /account-access-consents endpoints, with a client-credentials token. */
@Injectable()
export class AccountAccessConsentBankClient {
  constructor(
    private readonly http: BankHttpClient,
    private readonly tokens: TokenService,
    @Inject(BANK_PROFILE_REGISTRY) private readonly profiles: BankProfileRegistry,
  ) {}

  async create(client: ClientContext, request: ObReadConsent): Promise<BankConsent> {
    const body = this.versionOf(client).consentRequest({
      Data: { ...request.Data },
      Risk: { ...request.Risk },
    });
    const response = await this.call(client, 'aisp.consent.create', 'POST', '', body);
    return this.consentOf(response.data, response.interactionId, 'aisp.consent.create', 'POST');
  }

  async get(client: ClientContext, consentId: string): Promise<BankConsent> {
    const response = await this.call(
      client,
      'aisp.consent.get',
      'GET',
      `/${encodeURIComponent(consentId)}`,
    );
    return this.consentOf(response.data, response.interactionId, 'aisp.consent.get', 'GET');
  }

  async delete(client: ClientContext, consentId: string): Promise<{ interactionId: string }> {
    const response = await this.call(
      client,
      'aisp.consent.delete',
      'DELETE',
      `/${encodeURIComponent(consentId)}`,
      undefined,
      [200, 204],
    );
    return { interactionId: response.interactionId };
  }

  private async call(
    client: ClientContext,
    endpoint: string,
    method: BankHttpMethod,
    suffix: string,
    body?: BankRequestBody,
    expectStatus?: number[],
  ): Promise<{ data: unknown; interactionId: string }> {
    const base = accountApiBaseUrl(this.profiles.get(client.profileId));
    const token = await this.tokens.getClientCredentialsToken(client, ACCOUNTS_SCOPE);
    const response = await this.http.request<unknown>({
      profileId: client.profileId,
      endpoint,
      method,
      url: `${base}/account-access-consents${suffix}`,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      body,
      transport: client.transport,
      trustedCaPem: client.trustedCaPem,
      // Profile: the AIS API's own financial id when it names one (apis.accountAndTransaction).
      financialId:
        apiFinancialId(this.profiles.get(client.profileId), 'accountAndTransaction') ??
        client.financialId,
      expectStatus,
    });
    // Consent bodies in the bank's version become v4.0 here (v3.1.11 status words, ...).
    const data = this.versionOf(client).consentResponse(response.data);
    return { data, interactionId: response.interactionId };
  }

  /** The profile's AIS version: v4.0 passes through, v3.1.11 is translated both ways. */
  private versionOf(client: ClientContext): AccountAccessVersionMapper {
    return accountAccessMapper(
      this.profiles.get(client.profileId).apis.accountAndTransaction?.version,
    );
  }

  /** Data.ConsentId and Data.Status must be there; anything else is the bank's business. */
  private consentOf(
    data: unknown,
    interactionId: string,
    endpoint: string,
    method: string,
  ): BankConsent {
    const body = isRecord(data) ? data : null;
    const inner = body && isRecord(body.Data) ? body.Data : null;
    if (
      !body ||
      !inner ||
      typeof inner.ConsentId !== 'string' ||
      typeof inner.Status !== 'string'
    ) {
      throw new BankCallError(
        'bank/invalid-response',
        'bank-failure',
        'The bank sent a response that cannot be read',
        { status: null, endpoint, method, interactionId, body: data },
        'The consent response has no Data.ConsentId or Data.Status.',
      );
    }
    return { consentId: inner.ConsentId, status: inner.Status, body, interactionId };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
