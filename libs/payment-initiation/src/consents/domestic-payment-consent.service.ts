import { Inject, Injectable } from '@nestjs/common';
import { ClientContextFactory } from '@obc/bank-registration';
import {
  CONSENT_STATUS,
  Clock,
  NotFoundError,
  RandomSource,
  Sleeper,
  toConsentStatusCode,
} from '@obc/common';
import { BANK_PROFILE_REGISTRY, BankProfileRegistry } from '@obc/bank-profiles';
import { IdempotencyService } from '@obc/persistence';
import { PispBankClient } from '../bank/pisp-bank.client';
import {
  CreatedPaymentAuthContext,
  DOMESTIC_PAYMENT_CONSENT_TYPE,
  PAYMENT_AUTH_CONTEXTS,
  PAYMENT_CONSENT_TOKENS,
  PaymentAuthContextsPort,
  PaymentConsentTokens,
  paymentConsentRef,
} from '../payment-initiation.ports';
import { withConsentToken } from '@obc/token-management';
import { DomesticPaymentConsentEntity } from './domestic-payment-consent.entity';
import { DomesticPaymentConsentRepository } from './domestic-payment-consent.repository';
import {
  consentView,
  CreateDomesticPaymentConsent,
  DomesticPaymentConsentView,
} from './domestic-payment-consent.types';
import { assertValidInstructedAmount } from './instructed-amount';
import { consentNotAuthorisedError } from './payment-consent-errors';

export const PAYMENT_CONSENT_RESOURCE = 'domestic-payment-consent';
export const PAYMENT_CONSENT_IDEMPOTENCY_SCOPE = 'domestic-payment-consent';

export interface CreatedConsent {
  view: DomesticPaymentConsentView;
  /** The Idempotency-Key used (the caller's or a generated one). */
  idempotencyKey: string;
  interactionId?: string;
}

export interface ConsentOutcome {
  row: DomesticPaymentConsentEntity;
  interactionId?: string;
}

export interface PaymentAuthContextRequest {
  redirectUri: string | null;
  appSessionId: string | null;
  reference: string | null;
  createdBy: string | null;
}

export { paymentConsentRef };

/** Domestic payment consents: created and refreshed at the bank, kept in the connector. */
@Injectable()
export class DomesticPaymentConsentService {
  constructor(
    private readonly consents: DomesticPaymentConsentRepository,
    private readonly bank: PispBankClient,
    private readonly clients: ClientContextFactory,
    private readonly idempotency: IdempotencyService,
    @Inject(PAYMENT_CONSENT_TOKENS) private readonly tokens: PaymentConsentTokens,
    @Inject(PAYMENT_AUTH_CONTEXTS) private readonly authContexts: PaymentAuthContextsPort,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    @Inject(BANK_PROFILE_REGISTRY) private readonly profiles: BankProfileRegistry,
    private readonly sleeper: Sleeper,
  ) {}

  /**
   * Creates the consent at the bank once per Idempotency-Key (a payment consent commits the
   * customer's money once authorised, so a retry must never create a second one).
   */
  async create(
    request: CreateDomesticPaymentConsent,
    callerId: string,
    idempotencyKey: string | undefined,
  ): Promise<CreatedConsent> {
    assertValidInstructedAmount(
      request.externalApiRequest.Data.Initiation.InstructedAmount,
      'externalApiRequest.Data.Initiation.InstructedAmount',
    );
    let interactionId: string | undefined;
    let profileId: string | undefined;
    const result = await this.idempotency.run(
      {
        scope: PAYMENT_CONSENT_IDEMPOTENCY_SCOPE,
        callerId,
        ...(idempotencyKey !== undefined ? { key: idempotencyKey } : {}),
        request,
      },
      async (ctx) => {
        const details = await this.clients.details(request.bankRegistrationId);
        const client = await this.clients.forRegistration(request.bankRegistrationId);
        profileId = client.profileId;
        // Plain JSON (no DTO instances, no undefined members): signed, sent and stored as is.
        const payload = JSON.parse(
          JSON.stringify({
            Data: request.externalApiRequest.Data,
            Risk: request.externalApiRequest.Risk,
          }),
        ) as Record<string, unknown>;
        const created = await this.bank.createConsent(
          client,
          { organisationId: details.organisationId, softwareStatementId: details.softwareId },
          ctx.bankIdempotencyKey,
          payload,
        );
        interactionId = created.interactionId;
        const row = new DomesticPaymentConsentEntity();
        row.id = this.random.uuid();
        row.createdBy = request.createdBy;
        row.reference = request.reference;
        row.bankRegistrationId = request.bankRegistrationId;
        row.externalApiId = created.id;
        row.status = toConsentStatusCode(created.status);
        row.externalApiRequest = payload;
        row.externalApiResponse = created.body;
        row.authorisedAt = null;
        const stored = await this.consents.save(row);
        return { status: 201, body: consentView(stored), resourceId: stored.id };
      },
    );
    // Some banks' consent stores are eventually consistent: do not hand a new consent out early
    // (outside the idempotent work, so the key is not held while waiting).
    if (!result.replayed && profileId !== undefined)
      await this.sleeper.sleep(this.profiles.get(profileId).quirks.postCreateConsentDelayMs);
    return { view: result.body, idempotencyKey: result.key, interactionId };
  }

  /** The stored consent, refreshed from the bank unless excluded. */
  async get(id: string, excludeBank: boolean): Promise<ConsentOutcome> {
    const row = await this.find(id);
    if (excludeBank) return { row };
    const client = await this.clients.forRegistration(row.bankRegistrationId);
    const fresh = await this.bank.getConsent(client, row.externalApiId);
    row.status = toConsentStatusCode(fresh.status);
    row.externalApiResponse = fresh.body;
    return { row: await this.consents.save(row), interactionId: fresh.interactionId };
  }

  /** The bank's funds check; only an authorised consent has the token it needs. */
  async fundsConfirmation(id: string): Promise<{ body: unknown; interactionId: string }> {
    const row = await this.find(id);
    if (row.status !== CONSENT_STATUS.authorised) throw consentNotAuthorisedError(id, row.status);
    const client = await this.clients.forRegistration(row.bankRegistrationId);
    return withConsentToken(this.tokens, paymentConsentRef(row.id), client, (token) =>
      this.bank.fundsConfirmation(client, row.externalApiId, token),
    );
  }

  async createAuthContext(
    id: string,
    request: PaymentAuthContextRequest,
  ): Promise<CreatedPaymentAuthContext> {
    const row = await this.find(id);
    return this.authContexts.create({
      consentType: DOMESTIC_PAYMENT_CONSENT_TYPE,
      consentId: row.id,
      ...(request.redirectUri !== null ? { redirectUri: request.redirectUri } : {}),
      ...(request.appSessionId !== null ? { appSessionId: request.appSessionId } : {}),
      createdBy: request.createdBy,
      reference: request.reference,
    });
  }

  /** Called by auth-contexts once the PSU authorised the consent and tokens are stored. */
  async markAuthorised(id: string): Promise<void> {
    const row = await this.find(id);
    row.status = CONSENT_STATUS.authorised;
    row.authorisedAt = this.clock.now();
    await this.consents.save(row);
  }

  /** Its one payment was made: the consent cannot pay again. */
  async find(id: string): Promise<DomesticPaymentConsentEntity> {
    const row = await this.consents.findActive(id);
    if (!row) throw new NotFoundError(PAYMENT_CONSENT_RESOURCE, id);
    return row;
  }
}
