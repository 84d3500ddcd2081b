import { Inject, Injectable, Logger } from '@nestjs/common';
import { BANK_PROFILE_REGISTRY, BankProfileRegistry } from '@obc/bank-profiles';
import { ClientContextFactory } from '@obc/bank-registration';
import {
  CONSENT_STATUS,
  Clock,
  DomainError,
  NotFoundError,
  RandomSource,
  toConsentStatusCode,
} from '@obc/common';
import {
  ACCOUNT_ACCESS_CONSENT_TYPE,
  AccountAccessConsentRef,
  AUTH_CONTEXTS,
  AuthContextsPort,
  CONSENT_TOKENS,
  ConsentTokens,
  CreatedAuthContext,
  Sleeper,
} from '../account-access.ports';
import { AccountAccessConsentBankClient } from './account-access-consent-bank.client';
import { AccountAccessConsentEntity } from './account-access-consent.entity';
import {
  AccountAccessConsentRepository,
  isUniqueViolation,
} from './account-access-consent.repository';
import { bankConsentRequest, CreateAccountAccessConsent, requestHash } from './consent-request';

export const CONSENT_RESOURCE = 'account-access-consent';

/** A stored consent and, when the bank was called, the interaction id sent to it. */
export interface ConsentOutcome {
  row: AccountAccessConsentEntity;
  interactionId?: string;
}

export interface CreateAuthContextRequest {
  redirectUri: string | null;
  appSessionId: string | null;
  reference: string | null;
  createdBy: string | null;
}

export function consentRef(consentId: string): AccountAccessConsentRef {
  return { consentType: ACCOUNT_ACCESS_CONSENT_TYPE, consentId };
}

/** Account-access consents: created, refreshed and deleted at the bank, kept in the connector. */
@Injectable()
export class AccountAccessConsentService {
  private readonly logger = new Logger(AccountAccessConsentService.name);

  constructor(
    private readonly consents: AccountAccessConsentRepository,
    private readonly bank: AccountAccessConsentBankClient,
    private readonly clients: ClientContextFactory,
    @Inject(BANK_PROFILE_REGISTRY) private readonly profiles: BankProfileRegistry,
    @Inject(CONSENT_TOKENS) private readonly tokens: ConsentTokens,
    @Inject(AUTH_CONTEXTS) private readonly authContexts: AuthContextsPort,
    private readonly sleeper: Sleeper,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  /**
   * Creates the consent at the bank and stores it. With an Idempotency-Key, a repeat with the
   * same body returns the stored consent without calling the bank; another body is 422. The row
   * is written after the bank answered (an AIS consent moves no money, so two racing first
   * requests may each create one at the bank; the unique index keeps one row and both callers
   * get it).
   */
  async create(
    request: CreateAccountAccessConsent,
    idempotencyKey: string | null,
  ): Promise<ConsentOutcome> {
    const hash = requestHash(request);
    if (idempotencyKey !== null) {
      const earlier = await this.consents.findByIdempotencyKey(idempotencyKey);
      if (earlier) return { row: replay(earlier, hash) };
    }
    const details = await this.clients.details(request.bankRegistrationId);
    const profile = this.profiles.get(details.bankProfile);
    const body = bankConsentRequest(request, profile);
    const client = await this.clients.forRegistration(request.bankRegistrationId);
    const created = await this.bank.create(client, body);

    const row = new AccountAccessConsentEntity();
    row.id = this.random.uuid();
    row.createdBy = request.createdBy;
    row.reference = request.reference;
    row.bankRegistrationId = request.bankRegistrationId;
    row.externalApiId = created.consentId;
    row.status = toConsentStatusCode(created.status);
    row.externalApiUserId = request.externalApiUserId;
    row.externalApiResponse = created.body;
    row.authorisedAt = null;
    row.idempotencyKey = idempotencyKey;
    row.requestHash = idempotencyKey !== null ? hash : null;
    const stored = await this.insertOrReplay(row, hash);
    // Some banks' consent stores are eventually consistent: do not hand out the consent early.
    await this.sleeper.sleep(profile.quirks.postCreateConsentDelayMs);
    return { row: stored, interactionId: created.interactionId };
  }

  /** The stored consent, refreshed from the bank unless excluded. */
  async get(id: string, excludeBank: boolean): Promise<ConsentOutcome> {
    const row = await this.find(id);
    if (excludeBank) return { row };
    const client = await this.clients.forRegistration(row.bankRegistrationId);
    const fresh = await this.bank.get(client, row.externalApiId);
    row.status = toConsentStatusCode(fresh.status);
    row.externalApiResponse = fresh.body;
    return { row: await this.consents.saveChanges(row), interactionId: fresh.interactionId };
  }

  /** Deletes at the bank (unless excluded), forgets the tokens, soft-deletes the row. */
  async remove(id: string, excludeBank: boolean): Promise<{ interactionId?: string }> {
    const row = await this.find(id);
    let interactionId: string | undefined;
    if (!excludeBank) {
      const client = await this.clients.forRegistration(row.bankRegistrationId);
      ({ interactionId } = await this.bank.delete(client, row.externalApiId));
    }
    await this.tokens.revoke(consentRef(row.id));
    await this.consents.markDeleted(row.id);
    this.logger.log(`account-access consent ${row.id} deleted`);
    return { interactionId };
  }

  async createAuthContext(
    id: string,
    request: CreateAuthContextRequest,
  ): Promise<CreatedAuthContext> {
    const row = await this.find(id);
    return this.authContexts.create({
      consentType: ACCOUNT_ACCESS_CONSENT_TYPE,
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
    await this.consents.saveChanges(row);
  }

  async find(id: string): Promise<AccountAccessConsentEntity> {
    const row = await this.consents.findActive(id);
    if (!row) throw new NotFoundError(CONSENT_RESOURCE, id);
    return row;
  }

  private async insertOrReplay(
    row: AccountAccessConsentEntity,
    hash: string,
  ): Promise<AccountAccessConsentEntity> {
    try {
      return await this.consents.add(row);
    } catch (error: unknown) {
      if (row.idempotencyKey === null || !isUniqueViolation(error)) throw error;
      const winner = await this.consents.findByIdempotencyKey(row.idempotencyKey);
      if (!winner) throw error;
      this.logger.warn(`consent ${row.externalApiId} lost an idempotency race; kept ${winner.id}`);
      return replay(winner, hash);
    }
  }
}

function replay(earlier: AccountAccessConsentEntity, hash: string): AccountAccessConsentEntity {
  if (earlier.requestHash !== hash) {
    throw new DomainError(
      'idempotency/key-reused',
      'unprocessable',
      'The Idempotency-Key was used with a different request',
      {
        detail:
          'This Idempotency-Key was first used with a different request body; use a new key for a new request.',
      },
    );
  }
  return earlier;
}
