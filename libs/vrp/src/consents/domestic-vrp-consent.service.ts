import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuthContextService, CreatedAuthContext } from '@obc/auth-contexts';
import { ClientContextFactory } from '@obc/bank-registration';
import {
  CONSENT_STATUS,
  Clock,
  DomainError,
  NotFoundError,
  RandomSource,
  Sleeper,
  toConsentStatusCode,
} from '@obc/common';
import { BANK_PROFILE_REGISTRY, BankProfileRegistry } from '@obc/bank-profiles';
import { IdempotencyService } from '@obc/persistence';
import { ConsentTokenService, withConsentToken } from '@obc/token-management';
import { SignerIdentity, VrpBankClient } from '../common/vrp-bank.client';
import { DomesticVrpConsentRepository } from '../common/vrp.repositories';
import {
  assertFundsConfirmationRequest,
  assertVrpConsentRequest,
  withConsentId,
} from '../common/vrp-validation';
import { DOMESTIC_VRP_CONSENT_TYPE, vrpConsentRef } from '../vrp.ports';
import { DomesticVrpConsentResponseDto } from './dto/domestic-vrp-consent.dto';
import { DomesticVrpConsentEntity } from './domestic-vrp-consent.entity';

export const VRP_CONSENT_RESOURCE = 'domestic-vrp-consent';

type Json = Record<string, unknown>;

export interface CreateDomesticVrpConsent {
  bankRegistrationId: string;
  externalApiRequest: Json;
  reference: string | null;
  createdBy: string | null;
}

export interface IdempotentCall {
  callerId: string;
  idempotencyKey?: string;
}

export interface CreatedOutcome<T> {
  body: T;
  /** The Idempotency-Key used (the caller's or a generated one), for the response header. */
  idempotencyKey: string;
  replayed: boolean;
}

export interface ConsentOutcome {
  row: DomesticVrpConsentEntity;
  interactionId?: string;
}

export interface CreateAuthContextRequest {
  redirectUri: string | null;
  appSessionId: string | null;
  reference: string | null;
  createdBy: string | null;
}

/** Domestic VRP consents: created, refreshed and deleted at the bank, kept in the connector. */
@Injectable()
export class DomesticVrpConsentService {
  private readonly logger = new Logger(DomesticVrpConsentService.name);

  constructor(
    private readonly consents: DomesticVrpConsentRepository,
    private readonly bank: VrpBankClient,
    private readonly clients: ClientContextFactory,
    private readonly idempotency: IdempotencyService,
    private readonly tokens: ConsentTokenService,
    private readonly authContexts: AuthContextService,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    @Inject(BANK_PROFILE_REGISTRY) private readonly profiles: BankProfileRegistry,
    private readonly sleeper: Sleeper,
  ) {}

  /**
   * Validates the control parameters, then creates the consent at the bank once per
   * Idempotency-Key (the same bank x-idempotency-key on every retry) and stores it.
   */
  async create(
    request: CreateDomesticVrpConsent,
    call: IdempotentCall,
  ): Promise<CreatedOutcome<DomesticVrpConsentResponseDto>> {
    assertVrpConsentRequest(request.externalApiRequest);
    let profileId: string | undefined;
    const result = await this.idempotency.run<DomesticVrpConsentResponseDto>(
      {
        scope: VRP_CONSENT_RESOURCE,
        callerId: call.callerId,
        key: call.idempotencyKey,
        request,
      },
      async (ctx) => {
        const details = await this.clients.details(request.bankRegistrationId);
        const client = await this.clients.forRegistration(request.bankRegistrationId);
        profileId = client.profileId;
        const created = await this.bank.createConsent(client, {
          identity: identityOf(details),
          auth: { kind: 'client-credentials' },
          body: request.externalApiRequest,
          idempotencyKey: ctx.bankIdempotencyKey,
        });
        const row = new DomesticVrpConsentEntity();
        row.id = this.random.uuid();
        row.createdBy = request.createdBy;
        row.reference = request.reference;
        row.bankRegistrationId = request.bankRegistrationId;
        row.externalApiId = created.id;
        row.status = toConsentStatusCode(created.status ?? CONSENT_STATUS.awaitingAuthorisation);
        row.externalApiResponse = created.body;
        row.authorisedAt = null;
        const stored = await this.consents.save(row);
        return {
          status: 201,
          body: DomesticVrpConsentResponseDto.from(stored),
          resourceId: stored.id,
        };
      },
    );
    // Some banks' consent stores are eventually consistent: do not hand a new consent out early
    // (outside the idempotent work, so the key is not held while waiting).
    if (!result.replayed && profileId !== undefined)
      await this.sleeper.sleep(this.profiles.get(profileId).quirks.postCreateConsentDelayMs);
    return { body: result.body, idempotencyKey: result.key, replayed: result.replayed };
  }

  /** The stored consent, refreshed from the bank unless excluded. */
  async get(id: string, excludeBank: boolean): Promise<ConsentOutcome> {
    const row = await this.find(id);
    if (excludeBank) return { row };
    const client = await this.clients.forRegistration(row.bankRegistrationId);
    const fresh = await this.bank.getConsent(client, row.externalApiId);
    if (fresh.status) row.status = toConsentStatusCode(fresh.status);
    row.externalApiResponse = fresh.body;
    return { row: await this.consents.save(row), interactionId: fresh.interactionId };
  }

  /** Deletes at the bank (unless excluded), forgets the tokens, soft-deletes the row. */
  async remove(id: string, excludeBank: boolean): Promise<{ interactionId?: string }> {
    const row = await this.find(id);
    let interactionId: string | undefined;
    if (!excludeBank) {
      const client = await this.clients.forRegistration(row.bankRegistrationId);
      ({ interactionId } = await this.bank.deleteConsent(client, row.externalApiId));
    }
    await this.tokens.revoke(vrpConsentRef(row.id));
    await this.consents.markDeleted(row.id);
    this.logger.log(`domestic VRP consent ${row.id} deleted`);
    return { interactionId };
  }

  /** Asks the bank whether funds are available, with the consent's (refreshed) access token. */
  async confirmFunds(id: string, request: Json): Promise<{ body: Json; interactionId: string }> {
    assertFundsConfirmationRequest(request);
    const row = await this.findAuthorised(id);
    const details = await this.clients.details(row.bankRegistrationId);
    const client = await this.clients.forRegistration(row.bankRegistrationId);
    const body = withConsentId(request, row.externalApiId);
    const confirmed = await withConsentToken(
      this.tokens,
      vrpConsentRef(row.id),
      client,
      (accessToken) =>
        this.bank.fundsConfirmation(client, row.externalApiId, {
          identity: identityOf(details),
          auth: { kind: 'consent', accessToken },
          body,
        }),
    );
    return { body: confirmed.body, interactionId: confirmed.interactionId };
  }

  async createAuthContext(
    id: string,
    request: CreateAuthContextRequest,
  ): Promise<CreatedAuthContext> {
    const row = await this.find(id);
    return this.authContexts.create({
      consentType: DOMESTIC_VRP_CONSENT_TYPE,
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

  async find(id: string): Promise<DomesticVrpConsentEntity> {
    const row = await this.consents.findActive(id);
    if (!row) throw new NotFoundError(VRP_CONSENT_RESOURCE, id);
    return row;
  }

  /** The consent, if the connector last saw it authorised; no bank call otherwise. */
  async findAuthorised(id: string): Promise<DomesticVrpConsentEntity> {
    const row = await this.find(id);
    if (row.status !== CONSENT_STATUS.authorised) {
      throw new DomainError(
        'consent/not-authorised',
        'forbidden',
        'The consent is not authorised',
        {
          detail: `Domestic VRP consent ${id} has status ${row.status}; the customer must authorise it (status AUTH) first.`,
        },
      );
    }
    return row;
  }
}

export function identityOf(details: {
  organisationId: string;
  softwareId: string;
}): SignerIdentity {
  return { organisationId: details.organisationId, softwareStatementId: details.softwareId };
}
