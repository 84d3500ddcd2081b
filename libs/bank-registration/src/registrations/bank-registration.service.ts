import { Injectable, Logger } from '@nestjs/common';
import { BankCallError, Clock, DomainError, NotFoundError, RandomSource } from '@obc/common';
import { SecretResolver } from '@obc/config';
import { SoftwareStatementEntity } from '../software-statements/software-statement.entity';
import { SoftwareStatementService } from '../software-statements/software-statement.service';
import { BankRegistrationEntity } from './bank-registration.entity';
import { BankRegistrationRepository, isUniqueViolation } from './bank-registration.repository';
import { BankSessionFactory } from './bank-session.factory';
import { DcrRegistrar } from './dcr-registrar';
import { CreateBankRegistration, requestHash } from './registration-request';
import { registrationScopes } from './registration-scopes';

/** The outcome of a create: `replayed` when an Idempotency-Key returned the stored result. */
export interface RegistrationOutcome {
  row: BankRegistrationEntity;
  replayed: boolean;
  interactionId?: string;
}

/**
 * A pending row younger than this is taken to be in flight in another request (a DCR call plus
 * discovery fits well inside it); an older one was left by a crash and is retried.
 */
export const PENDING_IN_FLIGHT_MS = 60_000;

const RESOURCE = 'bank-registration';

@Injectable()
export class BankRegistrationService {
  private readonly logger = new Logger(BankRegistrationService.name);

  constructor(
    private readonly registrations: BankRegistrationRepository,
    private readonly statements: SoftwareStatementService,
    private readonly sessions: BankSessionFactory,
    private readonly registrar: DcrRegistrar,
    private readonly secrets: SecretResolver,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  /**
   * Registers by DCR, or imports an existing client when externalApiId is given. With an
   * Idempotency-Key the pending row (key + request hash + jti) is committed before the bank is
   * called, so a repeat returns the stored result and a crash leaves something to resume.
   */
  async create(
    request: CreateBankRegistration,
    idempotencyKey: string | null,
  ): Promise<RegistrationOutcome> {
    const hash = requestHash(request);
    if (idempotencyKey !== null) {
      const earlier = await this.registrations.findByIdempotencyKey(idempotencyKey);
      if (earlier) return this.replay(earlier, hash);
    }
    const statement = await this.statements.getReferenced(request.softwareStatementId);
    const profile = this.sessions.configuredProfile(request.bankProfile);
    const row = this.newRow(request, statement, idempotencyKey, hash);

    if (request.externalApiId !== null) {
      await this.importClient(row, request);
      return this.insertOrReplay(row, hash);
    }
    if (profile.registration.sharedWith !== undefined) {
      await this.shareGroupClient(row, request, profile.id, profile.registration.sharedWith);
      return this.insertOrReplay(row, hash);
    }
    if (profile.registration.mode !== 'dcr') {
      throw new DomainError(
        `${RESOURCE}/dcr-not-supported`,
        'validation',
        'This bank does not support dynamic client registration',
        {
          detail: `Bank profile '${profile.id}' registers clients manually: register in the bank's portal, then import the client with externalApiId (and externalApiSecret where needed).`,
        },
      );
    }
    row.tokenEndpointAuthMethod = profile.tokenEndpointAuthMethod;
    if (idempotencyKey === null) {
      // Nothing is stored unless the bank registered the client.
      const { row: registered, interactionId } = await this.registrar.register(row, statement);
      await this.registrations.add(registered);
      return { row: registered, replayed: false, interactionId };
    }
    const pending = await this.insertOrReplay(row, hash);
    if (pending.replayed) return pending;
    return this.complete(row, statement);
  }

  async list(): Promise<BankRegistrationEntity[]> {
    return this.registrations.listRegistered();
  }

  async get(id: string): Promise<BankRegistrationEntity> {
    const row = await this.registrations.findRegistered(id);
    if (!row) throw new NotFoundError(RESOURCE, id);
    return row;
  }

  private newRow(
    request: CreateBankRegistration,
    statement: SoftwareStatementEntity,
    idempotencyKey: string | null,
    hash: string,
  ): BankRegistrationEntity {
    const profile = this.sessions.configuredProfile(request.bankProfile);
    const defaultRedirectUri = request.defaultRedirectUri ?? statement.defaultRedirectUri;
    const redirectUris = request.redirectUris ?? statement.redirectUris;
    const row = new BankRegistrationEntity();
    row.id = this.random.uuid();
    row.createdBy = request.createdBy;
    row.reference = request.reference;
    row.bankProfile = profile.id;
    row.softwareStatementId = statement.id;
    row.status = 'pending';
    row.externalApiId = null;
    row.clientSecret = null;
    row.registrationAccessToken = null;
    row.tokenEndpointAuthMethod = profile.tokenEndpointAuthMethod;
    row.scopes = registrationScopes(request.scopes ?? undefined, profile.registration, profile.id);
    row.redirectUris = redirectUris.includes(defaultRedirectUri)
      ? [...redirectUris]
      : [defaultRedirectUri, ...redirectUris];
    row.defaultRedirectUri = defaultRedirectUri;
    row.registrationMode =
      request.externalApiId !== null
        ? 'import'
        : profile.registration.sharedWith !== undefined
          ? 'shared'
          : 'dcr';
    row.externalApiResponse = null;
    row.idempotencyKey = idempotencyKey;
    row.requestHash = idempotencyKey !== null ? hash : null;
    row.dcrJti = row.registrationMode === 'dcr' ? this.random.uuid() : null;
    return row;
  }

  /** A client registered elsewhere (the bank's portal): its secrets come by reference, stored encrypted. */
  private async importClient(
    row: BankRegistrationEntity,
    request: CreateBankRegistration,
  ): Promise<void> {
    row.externalApiId = request.externalApiId;
    row.registrationMode = 'import';
    if (request.externalApiSecret) {
      row.clientSecret = await this.registrar.encrypt(
        row.id,
        'clientSecret',
        await this.secrets.resolve(request.externalApiSecret),
      );
    }
    if (request.registrationAccessToken) {
      row.registrationAccessToken = await this.registrar.encrypt(
        row.id,
        'registrationAccessToken',
        await this.secrets.resolve(request.registrationAccessToken),
      );
    }
    row.status = 'registered';
  }

  /**
   * A brand whose bank group knows one client per software statement (registration.sharedWith):
   * no DCR call; the row takes the client of the group profile's newest live registration under
   * the same software statement that covers the scopes and redirect URIs asked for. Its secret
   * is stored again, encrypted for this row; its consents use this row's own profile.
   */
  private async shareGroupClient(
    row: BankRegistrationEntity,
    request: CreateBankRegistration,
    profileId: string,
    groupProfileId: string,
  ): Promise<void> {
    const candidates = (
      await this.registrations.listRegisteredFor(groupProfileId, request.softwareStatementId)
    ).filter((r) => r.registrationMode !== 'shared' && r.externalApiId !== null);
    const covers = (group: BankRegistrationEntity): boolean =>
      (request.scopes ?? []).every((s) => group.scopes.includes(s)) &&
      (request.redirectUris ?? []).every((u) => group.redirectUris.includes(u)) &&
      (request.defaultRedirectUri === null ||
        group.redirectUris.includes(request.defaultRedirectUri));
    const group = candidates.find(covers);
    if (!group) {
      throw new DomainError(
        `${RESOURCE}/shared-registration-missing`,
        'conflict',
        "No registration of the group's profile to share",
        {
          detail:
            candidates.length === 0
              ? `Bank profile '${profileId}' shares the client of bank profile '${groupProfileId}' (registration.sharedWith), which has no live registration under software statement '${request.softwareStatementId}'. Create one with bankProfile '${groupProfileId}' first; registrations for '${profileId}' then reuse its client.`
              : `Bank profile '${profileId}' shares the client of bank profile '${groupProfileId}' (registration.sharedWith), and none of its registrations under software statement '${request.softwareStatementId}' has all the scopes and redirect URIs asked for. Ask for a subset of theirs, or register the group's profile with them first.`,
        },
      );
    }
    row.externalApiId = group.externalApiId;
    row.tokenEndpointAuthMethod = group.tokenEndpointAuthMethod;
    row.scopes = request.scopes !== null ? [...request.scopes] : [...group.scopes];
    row.redirectUris = [...group.redirectUris];
    row.defaultRedirectUri = request.defaultRedirectUri ?? group.defaultRedirectUri;
    row.externalApiResponse = group.externalApiResponse;
    row.clientSecret = group.clientSecret
      ? await this.registrar.encrypt(
          row.id,
          'clientSecret',
          await this.registrar.decrypt(group.id, 'clientSecret', group.clientSecret),
        )
      : null;
    row.status = 'registered';
    this.logger.log(
      `bank registration ${row.id} (profile ${profileId}) shares the client of registration ${group.id} (profile ${groupProfileId})`,
    );
  }

  /** Insert; when a concurrent request won the key, answer as a repeat of it. */
  private async insertOrReplay(
    row: BankRegistrationEntity,
    hash: string,
  ): Promise<RegistrationOutcome> {
    try {
      await this.registrations.add(row);
      return { row, replayed: false };
    } catch (error: unknown) {
      if (row.idempotencyKey === null || !isUniqueViolation(error)) throw error;
      const winner = await this.registrations.findByIdempotencyKey(row.idempotencyKey);
      if (!winner) throw error;
      return this.replay(winner, hash);
    }
  }

  private async replay(
    earlier: BankRegistrationEntity,
    hash: string,
  ): Promise<RegistrationOutcome> {
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
    if (earlier.status === 'registered') return { row: earlier, replayed: true };
    if (this.clock.nowMs() - new Date(earlier.created).getTime() < PENDING_IN_FLIGHT_MS) {
      throw new DomainError(
        'idempotency/in-progress',
        'conflict',
        'A request with this Idempotency-Key is in progress',
        {
          detail:
            'The first request with this Idempotency-Key is still being processed; retry shortly.',
        },
      );
    }
    // Left by a crash: resume it, with the same jti, under the same row.
    this.logger.warn(`resuming pending bank registration ${earlier.id}`);
    const statement = await this.statements.getReferenced(earlier.softwareStatementId);
    return this.complete(earlier, statement);
  }

  /** Calls the bank for a committed pending row; a rejection frees the key (nothing was created). */
  private async complete(
    row: BankRegistrationEntity,
    statement: SoftwareStatementEntity,
  ): Promise<RegistrationOutcome> {
    try {
      const { row: registered, interactionId } = await this.registrar.register(row, statement);
      await this.registrations.saveChanges(registered);
      return { row: registered, replayed: false, interactionId };
    } catch (error: unknown) {
      if (
        error instanceof BankCallError &&
        error.bank?.status !== null &&
        error.bank?.status !== undefined &&
        error.bank.status < 500
      ) {
        await this.registrations.discardPending(row.id);
      }
      throw error;
    }
  }
}
