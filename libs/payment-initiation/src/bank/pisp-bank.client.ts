import { Inject, Injectable } from '@nestjs/common';
import { BankHttpClient, BankHttpMethod } from '@obc/bank-http';
import { apiFinancialId, BANK_PROFILE_REGISTRY, BankProfileRegistry } from '@obc/bank-profiles';
import { BankCallError, repairResponseDateTimes } from '@obc/common';
import { DetachedJwsService } from '@obc/fapi';
import { paymentInitiationMapper, type PaymentInitiationVersionMapper } from '@obc/ob-versions';
import { ClientContext, TokenService } from '@obc/token-management';
import { isRecord, paymentApiBaseUrl } from './payment-initiation-api';

/** The scope of client-credentials tokens for payment consents and payment reads. */
export const PAYMENTS_SCOPE = 'payments';

/** Who signs: the `iss` of the OB detached JWS is `<organisationId>/<softwareStatementId>`. */
export interface JwsSigner {
  organisationId: string;
  softwareStatementId: string;
}

export interface BankResource {
  /** Data.ConsentId or Data.DomesticPaymentId. */
  id: string;
  status: string;
  body: Record<string, unknown>;
  interactionId: string;
}

interface SignedPost {
  signer: JwsSigner;
  bankIdempotencyKey: string;
  accessToken: string;
  payload: Record<string, unknown>;
}

/**
 * The bank's PIS endpoints: consents, funds confirmation, domestic payments. Callers speak v4.0;
 * a bank on v3.1.11 (profile `apis.paymentInitiation.version`) is reached through the
 * `@obc/ob-versions` mapper, requests refused before any bank call when v3.1.11 cannot carry them.
 */
@Injectable()
export class PispBankClient {
  constructor(
    private readonly http: BankHttpClient,
    private readonly tokens: TokenService,
    private readonly jws: DetachedJwsService,
    @Inject(BANK_PROFILE_REGISTRY) private readonly profiles: BankProfileRegistry,
  ) {}

  async createConsent(
    client: ClientContext,
    signer: JwsSigner,
    bankIdempotencyKey: string,
    payload: Record<string, unknown>,
  ): Promise<BankResource> {
    const version = this.versionOf(client);
    const body = version.consentRequest(payload);
    const accessToken = await this.tokens.getClientCredentialsToken(client, PAYMENTS_SCOPE);
    const res = await this.signedPost(client, 'pisp.consent.create', '/domestic-payment-consents', {
      signer,
      bankIdempotencyKey,
      accessToken,
      payload: body,
    });
    const consent = resourceOf(
      mapped(res, version.consentResponse),
      'ConsentId',
      'pisp.consent.create',
      'POST',
    );
    return consent;
  }

  async getConsent(client: ClientContext, consentId: string): Promise<BankResource> {
    const accessToken = await this.tokens.getClientCredentialsToken(client, PAYMENTS_SCOPE);
    const path = `/domestic-payment-consents/${encodeURIComponent(consentId)}`;
    const res = await this.call(client, 'pisp.consent.get', 'GET', path, accessToken);
    const version = this.versionOf(client);
    return resourceOf(mapped(res, version.consentResponse), 'ConsentId', 'pisp.consent.get', 'GET');
  }

  /** Needs the consent's authorisation-code access token. */
  async fundsConfirmation(
    client: ClientContext,
    consentId: string,
    accessToken: string,
  ): Promise<{ body: unknown; interactionId: string }> {
    const path = `/domestic-payment-consents/${encodeURIComponent(consentId)}/funds-confirmation`;
    const res = await this.call(
      client,
      'pisp.consent.funds-confirmation',
      'GET',
      path,
      accessToken,
    );
    const version = this.versionOf(client);
    return { body: version.fundsConfirmationResponse(res.data), interactionId: res.interactionId };
  }

  /** Needs the consent's authorisation-code access token. */
  async createPayment(
    client: ClientContext,
    signer: JwsSigner,
    bankIdempotencyKey: string,
    accessToken: string,
    payload: Record<string, unknown>,
  ): Promise<BankResource> {
    const version = this.versionOf(client);
    const res = await this.signedPost(client, 'pisp.payment.create', '/domestic-payments', {
      signer,
      bankIdempotencyKey,
      accessToken,
      payload: version.paymentRequest(payload),
    });
    return resourceOf(
      mapped(res, version.paymentResponse),
      'DomesticPaymentId',
      'pisp.payment.create',
      'POST',
    );
  }

  async getPayment(client: ClientContext, paymentId: string): Promise<BankResource> {
    const accessToken = await this.tokens.getClientCredentialsToken(client, PAYMENTS_SCOPE);
    const path = `/domestic-payments/${encodeURIComponent(paymentId)}`;
    const res = await this.call(client, 'pisp.payment.get', 'GET', path, accessToken);
    const version = this.versionOf(client);
    return resourceOf(
      mapped(res, version.paymentResponse),
      'DomesticPaymentId',
      'pisp.payment.get',
      'GET',
    );
  }

  async getPaymentDetails(
    client: ClientContext,
    paymentId: string,
  ): Promise<{ body: unknown; interactionId: string }> {
    const accessToken = await this.tokens.getClientCredentialsToken(client, PAYMENTS_SCOPE);
    const path = `/domestic-payments/${encodeURIComponent(paymentId)}/payment-details`;
    const res = await this.call(client, 'pisp.payment.details', 'GET', path, accessToken);
    const version = this.versionOf(client);
    return { body: version.paymentDetailsResponse(res.data), interactionId: res.interactionId };
  }

  /** The profile's PIS version: v4.0 passes through, v3.1.11 is translated both ways. */
  private versionOf(client: ClientContext): PaymentInitiationVersionMapper {
    return paymentInitiationMapper(
      this.profiles.get(client.profileId).apis.paymentInitiation?.version,
    );
  }

  /**
   * The body is serialised once and that very string is both signed and sent: the bank checks
   * the detached JWS against the bytes it receives, so a second serialisation could break it.
   */
  private async signedPost(
    client: ClientContext,
    endpoint: string,
    path: string,
    post: SignedPost,
  ): Promise<{ data: unknown; interactionId: string }> {
    const body = JSON.stringify(post.payload);
    const signature = await this.jws.sign({
      payload: body,
      signingKey: client.signingKey,
      organisationId: post.signer.organisationId,
      softwareStatementId: post.signer.softwareStatementId,
      // Profile: a bank that wants the pre-v3.1.4 header (b64: false in crit).
      ...(this.profiles.get(client.profileId).messageSigning.b64Header ? { b64Header: true } : {}),
    });
    return this.call(client, endpoint, 'POST', path, post.accessToken, body, {
      'content-type': 'application/json',
      'x-jws-signature': signature,
      'x-idempotency-key': post.bankIdempotencyKey,
    });
  }

  private async call(
    client: ClientContext,
    endpoint: string,
    method: BankHttpMethod,
    path: string,
    accessToken: string,
    body?: string,
    extraHeaders: Record<string, string> = {},
  ): Promise<{ data: unknown; interactionId: string }> {
    const profile = this.profiles.get(client.profileId);
    const base = paymentApiBaseUrl(profile);
    const response = await this.http.request<unknown>({
      profileId: client.profileId,
      endpoint,
      method,
      url: `${base}${path}`,
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: 'application/json',
        ...extraHeaders,
      },
      body,
      transport: client.transport,
      trustedCaPem: client.trustedCaPem,
      // Profile: the payment API's own financial id when it names one (apis.paymentInitiation).
      financialId: apiFinancialId(profile, 'paymentInitiation') ?? client.financialId,
    });
    // Every PIS response the connector reads is signed by a bank that signs (OB v4.0).
    await this.jws.verifyBankResponse({
      profile,
      discoveredJwksUri: client.bankJwksUri,
      trustedCaPem: client.trustedCaPem,
      endpoint,
      method,
      response,
    });
    // Profile quirks: the bank's date-times repaired (or an invalid one dropped) before anything
    // stores or returns them.
    const data = repairResponseDateTimes(response.data, profile.quirks.responses);
    return { data, interactionId: response.interactionId };
  }
}

function mapped(
  res: { data: unknown; interactionId: string },
  toV4: (body: unknown) => unknown,
): { data: unknown; interactionId: string } {
  return { data: toV4(res.data), interactionId: res.interactionId };
}

/** Data.<idField> and Data.Status must be there; anything else is the bank's business. */
function resourceOf(
  res: { data: unknown; interactionId: string },
  idField: 'ConsentId' | 'DomesticPaymentId',
  endpoint: string,
  method: string,
): BankResource {
  const body = isRecord(res.data) ? res.data : null;
  const inner = body && isRecord(body.Data) ? body.Data : null;
  const id = inner?.[idField];
  if (!body || !inner || typeof id !== 'string' || typeof inner.Status !== 'string') {
    throw new BankCallError(
      'bank/invalid-response',
      'bank-failure',
      'The bank sent a response that cannot be read',
      { status: null, endpoint, method, interactionId: res.interactionId, body: res.data },
      `The response has no Data.${idField} or Data.Status.`,
    );
  }
  return { id, status: inner.Status, body, interactionId: res.interactionId };
}
