import { Inject, Injectable } from '@nestjs/common';
import { BankHttpClient, BankHttpMethod } from '@obc/bank-http';
import {
  apiFinancialId,
  BANK_PROFILE_REGISTRY,
  BankProfile,
  BankProfileRegistry,
} from '@obc/bank-profiles';
import { BankCallError, DomainError, repairResponseDateTimes } from '@obc/common';
import { DetachedJwsService } from '@obc/fapi';
import { vrpMapper, type VrpVersionMapper } from '@obc/ob-versions';
import { ClientContext, TokenService } from '@obc/token-management';
import { PAYMENTS_SCOPE } from '../vrp.ports';
import { isRecord } from './vrp-validation';

type Json = Record<string, unknown>;

/** Who signs: the registration's organisation and software statement (ClientContextFactory.details). */
export interface SignerIdentity {
  organisationId: string;
  softwareStatementId: string;
}

/** How a call is authorised: a client-credentials token, or the consent's access token. */
export type BankAuth = { kind: 'client-credentials' } | { kind: 'consent'; accessToken: string };

export interface SignedWrite {
  identity: SignerIdentity;
  auth: BankAuth;
  body: Json;
  /** Sent as x-idempotency-key (bank creations only). */
  idempotencyKey?: string;
}

export interface BankResource {
  /** The bank's id of the resource (ConsentId, DomesticVRPId, FundsConfirmationId). */
  id: string;
  status: string | null;
  body: Json;
  interactionId: string;
}

/**
 * The bank's VRP endpoints; writes carry a detached JWS over the exact bytes sent. Callers speak
 * v4.0; a bank on v3.1.11 (profile `apis.variableRecurringPayments.version`) is reached through
 * the `@obc/ob-versions` mapper, requests refused before any bank call when v3.1.11 cannot carry
 * them.
 */
@Injectable()
export class VrpBankClient {
  constructor(
    private readonly http: BankHttpClient,
    private readonly tokens: TokenService,
    private readonly jws: DetachedJwsService,
    @Inject(BANK_PROFILE_REGISTRY) private readonly profiles: BankProfileRegistry,
  ) {}

  async createConsent(client: ClientContext, write: SignedWrite): Promise<BankResource> {
    const version = this.versionOf(client);
    const consent = await this.signed(
      client,
      'vrp.consent.create',
      '/domestic-vrp-consents',
      { ...write, body: version.consentRequest(write.body) },
      'ConsentId',
      version.consentResponse,
    );
    return consent;
  }

  getConsent(client: ClientContext, consentId: string): Promise<BankResource> {
    return this.read(
      client,
      'vrp.consent.get',
      `/domestic-vrp-consents/${enc(consentId)}`,
      'ConsentId',
      this.versionOf(client).consentResponse,
    );
  }

  async deleteConsent(
    client: ClientContext,
    consentId: string,
  ): Promise<{ interactionId: string }> {
    const response = await this.call(client, {
      endpoint: 'vrp.consent.delete',
      method: 'DELETE',
      path: `/domestic-vrp-consents/${enc(consentId)}`,
      auth: { kind: 'client-credentials' },
      expectStatus: [200, 204],
    });
    return { interactionId: response.interactionId };
  }

  async fundsConfirmation(
    client: ClientContext,
    consentId: string,
    write: SignedWrite,
  ): Promise<BankResource> {
    const version = this.versionOf(client);
    return this.signed(
      client,
      'vrp.consent.funds-confirmation',
      `/domestic-vrp-consents/${enc(consentId)}/funds-confirmation`,
      { ...write, body: version.fundsConfirmationRequest(write.body) },
      'FundsConfirmationId',
      version.fundsConfirmationResponse,
    );
  }

  async createVrp(client: ClientContext, write: SignedWrite): Promise<BankResource> {
    const version = this.versionOf(client);
    const body = version.paymentRequest(write.body);
    // Profile quirk: a bank that refuses Data.VRPType takes the type from the consent.
    const sent = this.profiles.get(client.profileId).quirks.requests.omitVrpType
      ? withoutVrpType(body)
      : body;
    return this.signed(
      client,
      'vrp.payment.create',
      '/domestic-vrps',
      { ...write, body: sent },
      'DomesticVRPId',
      version.paymentResponse,
    );
  }

  getVrp(client: ClientContext, vrpId: string): Promise<BankResource> {
    return this.read(
      client,
      'vrp.payment.get',
      `/domestic-vrps/${enc(vrpId)}`,
      'DomesticVRPId',
      this.versionOf(client).paymentResponse,
    );
  }

  async getVrpDetails(
    client: ClientContext,
    vrpId: string,
  ): Promise<{ body: Json; interactionId: string }> {
    const response = await this.call(client, {
      endpoint: 'vrp.payment.details',
      method: 'GET',
      path: `/domestic-vrps/${enc(vrpId)}/payment-details`,
      auth: { kind: 'client-credentials' },
    });
    const data = this.versionOf(client).paymentDetailsResponse(response.data);
    return {
      body: isRecord(data) ? data : {},
      interactionId: response.interactionId,
    };
  }

  private async signed(
    client: ClientContext,
    endpoint: string,
    path: string,
    write: SignedWrite,
    idField: string,
    toV4: (body: unknown) => unknown,
  ): Promise<BankResource> {
    // Serialised once: the signature covers exactly the bytes that are sent.
    const payload = JSON.stringify(write.body);
    const signature = await this.jws.sign({
      payload,
      signingKey: client.signingKey,
      organisationId: write.identity.organisationId,
      softwareStatementId: write.identity.softwareStatementId,
      // Profile: a bank that wants the pre-v3.1.4 header (b64: false in crit).
      ...(this.profiles.get(client.profileId).messageSigning.b64Header ? { b64Header: true } : {}),
    });
    const response = await this.call(client, {
      endpoint,
      method: 'POST',
      path,
      auth: write.auth,
      body: payload,
      headers: {
        'content-type': 'application/json',
        'x-jws-signature': signature,
        ...(write.idempotencyKey ? { 'x-idempotency-key': write.idempotencyKey } : {}),
      },
    });
    return resourceOf(toV4(response.data), response.interactionId, endpoint, 'POST', idField);
  }

  private async read(
    client: ClientContext,
    endpoint: string,
    path: string,
    idField: string,
    toV4: (body: unknown) => unknown,
  ): Promise<BankResource> {
    const response = await this.call(client, {
      endpoint,
      method: 'GET',
      path,
      auth: { kind: 'client-credentials' },
    });
    return resourceOf(toV4(response.data), response.interactionId, endpoint, 'GET', idField);
  }

  private async call(
    client: ClientContext,
    call: {
      endpoint: string;
      method: BankHttpMethod;
      path: string;
      auth: BankAuth;
      body?: string;
      headers?: Record<string, string>;
      expectStatus?: number[];
    },
  ): Promise<{ data: unknown; interactionId: string }> {
    const profile = this.profiles.get(client.profileId);
    const base = this.baseUrl(profile);
    const token =
      call.auth.kind === 'consent'
        ? call.auth.accessToken
        : await this.tokens.getClientCredentialsToken(client, PAYMENTS_SCOPE);
    const response = await this.http.request<unknown>({
      profileId: client.profileId,
      endpoint: call.endpoint,
      method: call.method,
      url: `${base}${call.path}`,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...call.headers },
      body: call.body,
      transport: client.transport,
      trustedCaPem: client.trustedCaPem,
      // Profile: the VRP API's own financial id when it names one (apis.variableRecurringPayments).
      financialId: apiFinancialId(profile, 'variableRecurringPayments') ?? client.financialId,
      expectStatus: call.expectStatus,
    });
    // Signed by a bank that signs: every VRP response with a body (a DELETE answers 204).
    if (call.method !== 'DELETE') {
      await this.jws.verifyBankResponse({
        profile,
        discoveredJwksUri: client.bankJwksUri,
        trustedCaPem: client.trustedCaPem,
        endpoint: call.endpoint,
        method: call.method,
        response,
      });
    }
    // Profile quirks: the bank's date-times repaired (or an invalid one dropped) before anything
    // stores or returns them.
    const repaired = repairResponseDateTimes(response.data, profile.quirks.responses);
    // Profile quirk: a refund account the bank nests under Account, in the standard shape.
    const data = profile.quirks.responses.unnestVrpRefundAccount
      ? unnestVrpRefundAccount(repaired)
      : repaired;
    return { data, interactionId: response.interactionId };
  }

  /** The profile's VRP version: v4.0 passes through, v3.1.11 is translated both ways. */
  private versionOf(client: ClientContext): VrpVersionMapper {
    return vrpMapper(this.profiles.get(client.profileId).apis.variableRecurringPayments?.version);
  }

  private baseUrl(profile: BankProfile): string {
    const baseUrl = profile.apis.variableRecurringPayments?.baseUrl;
    if (!baseUrl) {
      throw new DomainError(
        'bank/unsupported-endpoint',
        'not-implemented',
        'The bank does not offer this API',
        { detail: `Bank profile '${profile.id}' has no VRP API base URL configured.` },
      );
    }
    return baseUrl.replace(/\/+$/, '');
  }
}

/** A VRP request without Data.VRPType (profile quirk quirks.requests.omitVrpType). */
function withoutVrpType(body: Json): Json {
  if (!isRecord(body.Data) || !('VRPType' in body.Data)) return body;
  const { VRPType: _omitted, ...data } = body.Data;
  return { ...body, Data: data };
}

/**
 * A VRP response whose Data.Refund is nested as { Account: {...} } (profile quirk
 * quirks.responses.unnestVrpRefundAccount), with the account lifted into Data.Refund.
 */
export function unnestVrpRefundAccount(body: unknown): unknown {
  if (!isRecord(body) || !isRecord(body.Data)) return body;
  const refund = body.Data.Refund;
  if (!isRecord(refund) || !isRecord(refund.Account) || 'Identification' in refund) return body;
  return { ...body, Data: { ...body.Data, Refund: refund.Account } };
}

function enc(id: string): string {
  return encodeURIComponent(id);
}

/** Data.<id> must be there; anything else is the bank's business. */
function resourceOf(
  data: unknown,
  interactionId: string,
  endpoint: string,
  method: string,
  idField: string,
): BankResource {
  const body = isRecord(data) ? data : null;
  const inner = body && isRecord(body.Data) ? body.Data : null;
  const id = inner?.[idField];
  if (!body || !inner || typeof id !== 'string') {
    throw new BankCallError(
      'bank/invalid-response',
      'bank-failure',
      'The bank sent a response that cannot be read',
      { status: null, endpoint, method, interactionId, body: data },
      `The response has no Data.${idField}.`,
    );
  }
  return {
    id,
    status: typeof inner.Status === 'string' ? inner.Status : null,
    body,
    interactionId,
  };
}
