import { Inject, Injectable, Logger } from '@nestjs/common';
import { ClientContextFactory } from '@obc/bank-registration';
import { CONSENT_STATUS, NotFoundError, RandomSource } from '@obc/common';
import { canonicalJson, IdempotencyService } from '@obc/persistence';
import { PispBankClient } from '../bank/pisp-bank.client';
import type { DomesticPaymentConsentEntity } from '../consents/domestic-payment-consent.entity';
import { DomesticPaymentConsentService } from '../consents/domestic-payment-consent.service';
import {
  consentConsumedError,
  consentMismatchError,
  consentNotAuthorisedError,
} from '../consents/payment-consent-errors';
import { withConsentToken } from '@obc/token-management';
import {
  PAYMENT_CONSENT_TOKENS,
  PaymentConsentTokens,
  paymentConsentRef,
} from '../payment-initiation.ports';
import { DomesticPaymentEntity } from './domestic-payment.entity';
import { DomesticPaymentRepository } from './domestic-payment.repository';
import {
  CreateDomesticPayment,
  DomesticPaymentView,
  ObWriteDomestic,
  paymentView,
} from './domestic-payment.types';

export const PAYMENT_RESOURCE = 'domestic-payment';
export const PAYMENT_IDEMPOTENCY_SCOPE = 'domestic-payment';

export interface CreatedPayment {
  view: DomesticPaymentView;
  idempotencyKey: string;
  interactionId?: string;
}

/** Stored with the consent on create: what its payment must repeat. */
interface ConsentRequest {
  Data: { Initiation: Record<string, unknown> };
  Risk: Record<string, unknown>;
}

/** Domestic payments: made at the bank once per consent and Idempotency-Key. */
@Injectable()
export class DomesticPaymentService {
  private readonly logger = new Logger(DomesticPaymentService.name);

  constructor(
    private readonly payments: DomesticPaymentRepository,
    private readonly consents: DomesticPaymentConsentService,
    private readonly bank: PispBankClient,
    private readonly clients: ClientContextFactory,
    private readonly idempotency: IdempotencyService,
    @Inject(PAYMENT_CONSENT_TOKENS) private readonly tokens: PaymentConsentTokens,
    private readonly random: RandomSource,
  ) {}

  /**
   * Refuses a payment its consent does not allow before any bank call. The status check runs
   * inside the idempotent work so that a retry of a payment already made replays its result
   * instead of being refused because the consent is now consumed.
   */
  async create(
    request: CreateDomesticPayment,
    callerId: string,
    idempotencyKey: string | undefined,
  ): Promise<CreatedPayment> {
    const consent = await this.consents.find(request.domesticPaymentConsentId);
    const payload = paymentRequest(consent, request.externalApiRequest);
    let interactionId: string | undefined;
    const result = await this.idempotency.run(
      {
        scope: PAYMENT_IDEMPOTENCY_SCOPE,
        callerId,
        ...(idempotencyKey !== undefined ? { key: idempotencyKey } : {}),
        request,
      },
      async (ctx) => {
        // Re-read: another request may have used the consent meanwhile. A take-over may find
        // it consumed by the payment its crashed holder made with this very key: the bank,
        // sent the same x-idempotency-key, replays that payment (or refuses another).
        const current = await this.consents.find(consent.id);
        if (!(ctx.attempt > 1 && current.status === CONSENT_STATUS.consumed))
          assertPayable(current);
        const details = await this.clients.details(current.bankRegistrationId);
        const client = await this.clients.forRegistration(current.bankRegistrationId);
        const created = await withConsentToken(
          this.tokens,
          paymentConsentRef(current.id),
          client,
          (token) =>
            this.bank.createPayment(
              client,
              { organisationId: details.organisationId, softwareStatementId: details.softwareId },
              ctx.bankIdempotencyKey,
              token,
              { ...payload },
            ),
        );
        interactionId = created.interactionId;
        const row = new DomesticPaymentEntity();
        row.id = this.random.uuid();
        row.createdBy = request.createdBy;
        row.reference = request.reference;
        row.domesticPaymentConsentId = current.id;
        row.externalApiId = created.id;
        row.status = created.status;
        row.externalApiResponse = created.body;
        // One transaction: the payment row (reused when the bank replayed a payment stored
        // already) and the consent's Consumed status.
        const stored = await this.payments.storeMade(row);
        current.status = CONSENT_STATUS.consumed;
        this.logger.log(`domestic payment ${stored.id} made under consent ${current.id}`);
        return { status: 201, body: paymentView(stored), resourceId: stored.id };
      },
    );
    return { view: result.body, idempotencyKey: result.key, interactionId };
  }

  /** The stored payment, refreshed from the bank unless excluded. */
  async get(
    id: string,
    excludeBank: boolean,
  ): Promise<{ row: DomesticPaymentEntity; interactionId?: string }> {
    const row = await this.find(id);
    if (excludeBank) return { row };
    const client = await this.clientOf(row);
    const fresh = await this.bank.getPayment(client, row.externalApiId);
    row.status = fresh.status;
    row.externalApiResponse = fresh.body;
    return { row: await this.payments.save(row), interactionId: fresh.interactionId };
  }

  async paymentDetails(id: string): Promise<{ body: unknown; interactionId: string }> {
    const row = await this.find(id);
    return this.bank.getPaymentDetails(await this.clientOf(row), row.externalApiId);
  }

  async find(id: string): Promise<DomesticPaymentEntity> {
    const row = await this.payments.findActive(id);
    if (!row) throw new NotFoundError(PAYMENT_RESOURCE, id);
    return row;
  }

  private async clientOf(row: DomesticPaymentEntity) {
    const consent = await this.consents.find(row.domesticPaymentConsentId);
    return this.clients.forRegistration(consent.bankRegistrationId);
  }
}

function assertPayable(consent: DomesticPaymentConsentEntity): void {
  if (consent.status === CONSENT_STATUS.consumed) throw consentConsumedError(consent.id);
  if (consent.status !== CONSENT_STATUS.authorised)
    throw consentNotAuthorisedError(consent.id, consent.status);
}

/**
 * The OBWriteDomestic2 to send: built from the consent when not given; when given, its
 * Initiation (and ConsentId) must be the consent's, since the bank refuses any difference
 * only after the customer's money is at stake in the call.
 */
export function paymentRequest(
  consent: DomesticPaymentConsentEntity,
  given: ObWriteDomestic | null,
): {
  Data: { ConsentId: string; Initiation: Record<string, unknown> };
  Risk: Record<string, unknown>;
} {
  const stored = consent.externalApiRequest as unknown as ConsentRequest;
  if (given) {
    if (given.Data.ConsentId !== consent.externalApiId) {
      throw consentMismatchError(
        `Data.ConsentId '${given.Data.ConsentId}' is not the bank's id of consent '${consent.id}' (${consent.externalApiId}).`,
      );
    }
    if (canonicalJson(given.Data.Initiation) !== canonicalJson(stored.Data.Initiation)) {
      throw consentMismatchError(
        `Data.Initiation differs from the Initiation of consent '${consent.id}'; a payment must repeat it exactly.`,
      );
    }
  }
  return {
    Data: { ConsentId: consent.externalApiId, Initiation: stored.Data.Initiation },
    Risk: given?.Risk ?? stored.Risk,
  };
}
