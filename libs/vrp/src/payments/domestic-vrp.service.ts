import { Injectable } from '@nestjs/common';
import { ClientContextFactory } from '@obc/bank-registration';
import { NotFoundError, RandomSource } from '@obc/common';
import { IdempotencyService } from '@obc/persistence';
import { ConsentTokenService, withConsentToken } from '@obc/token-management';
import { vrpConsentRef } from '../vrp.ports';
import { VrpBankClient } from '../common/vrp-bank.client';
import { DomesticVrpRepository } from '../common/vrp.repositories';
import { assertVrpRequest, withConsentId } from '../common/vrp-validation';
import {
  CreatedOutcome,
  DomesticVrpConsentService,
  IdempotentCall,
  identityOf,
} from '../consents/domestic-vrp-consent.service';
import { DomesticVrpResponseDto } from './dto/domestic-vrp.dto';
import { DomesticVrpEntity } from './domestic-vrp.entity';

export const VRP_RESOURCE = 'domestic-vrp';

type Json = Record<string, unknown>;

export interface CreateDomesticVrp {
  domesticVrpConsentId: string;
  externalApiRequest: Json;
  reference: string | null;
}

/**
 * Payments under an authorised VRP consent, as many as its control parameters allow. The bank
 * enforces the limits: its refusal (a 4xx with its OB error) surfaces as the BankCallError.
 */
@Injectable()
export class DomesticVrpService {
  constructor(
    private readonly payments: DomesticVrpRepository,
    private readonly consents: DomesticVrpConsentService,
    private readonly bank: VrpBankClient,
    private readonly clients: ClientContextFactory,
    private readonly idempotency: IdempotencyService,
    private readonly tokens: ConsentTokenService,
    private readonly random: RandomSource,
  ) {}

  async create(
    request: CreateDomesticVrp,
    call: IdempotentCall,
  ): Promise<CreatedOutcome<DomesticVrpResponseDto>> {
    assertVrpRequest(request.externalApiRequest);
    const consent = await this.consents.findAuthorised(request.domesticVrpConsentId);
    const result = await this.idempotency.run<DomesticVrpResponseDto>(
      { scope: VRP_RESOURCE, callerId: call.callerId, key: call.idempotencyKey, request },
      async (ctx) => {
        const details = await this.clients.details(consent.bankRegistrationId);
        const client = await this.clients.forRegistration(consent.bankRegistrationId);
        const body = withConsentId(request.externalApiRequest, consent.externalApiId);
        const created = await withConsentToken(
          this.tokens,
          vrpConsentRef(consent.id),
          client,
          (accessToken) =>
            this.bank.createVrp(client, {
              identity: identityOf(details),
              auth: { kind: 'consent', accessToken },
              body,
              idempotencyKey: ctx.bankIdempotencyKey,
            }),
        );
        const row = new DomesticVrpEntity();
        row.id = this.random.uuid();
        row.createdBy = null;
        row.reference = request.reference;
        row.domesticVrpConsentId = consent.id;
        row.externalApiId = created.id;
        row.status = created.status ?? 'PDNG';
        row.externalApiResponse = created.body;
        // Reused when the bank replayed a payment stored already (one row per bank payment).
        const stored = await this.payments.storeMade(row);
        return { status: 201, body: DomesticVrpResponseDto.from(stored), resourceId: stored.id };
      },
    );
    return { body: result.body, idempotencyKey: result.key, replayed: result.replayed };
  }

  /** The payment, refreshed from the bank. */
  async get(id: string): Promise<{ row: DomesticVrpEntity; interactionId: string }> {
    const row = await this.find(id);
    const client = await this.clientFor(row);
    const fresh = await this.bank.getVrp(client, row.externalApiId);
    if (fresh.status) row.status = fresh.status;
    row.externalApiResponse = fresh.body;
    return { row: await this.payments.save(row), interactionId: fresh.interactionId };
  }

  async paymentDetails(id: string): Promise<{ body: Json; interactionId: string }> {
    const row = await this.find(id);
    return this.bank.getVrpDetails(await this.clientFor(row), row.externalApiId);
  }

  private async clientFor(row: DomesticVrpEntity) {
    const consent = await this.consents.find(row.domesticVrpConsentId);
    return this.clients.forRegistration(consent.bankRegistrationId);
  }

  private async find(id: string): Promise<DomesticVrpEntity> {
    const row = await this.payments.findActive(id);
    if (!row) throw new NotFoundError(VRP_RESOURCE, id);
    return row;
  }
}
