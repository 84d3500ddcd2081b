import { Injectable, Logger, Optional } from '@nestjs/common';
import { DomainError, NotFoundError } from '@obc/common';
import { SecretCipher } from '@obc/persistence';
import { TokenService } from '@obc/token-management';
import { BankRegistrationEntity } from './bank-registration.entity';
import { BankRegistrationRepository } from './bank-registration.repository';
import { ClientContextCache } from './client-context.cache';
import { ClientContextFactory, REGISTRATION_TABLE } from './client-context.factory';
import { BankSession } from './bank-session.factory';
import { parseDcrResponse } from './dcr-response.parser';
import { RegistrationEndpointClient } from './registration-endpoint.client';

export interface ReadOutcome {
  row: BankRegistrationEntity;
  interactionId?: string;
}

/**
 * The scope of the client-credentials token used on /register/{ClientId}: the registration's
 * first non-openid scope (client-credentials grants carry no openid), else the profile default's.
 */
export function managementScope(
  scopes: readonly string[],
  defaultScopes: readonly string[],
): string {
  return (
    scopes.find((s) => s !== 'openid') ?? defaultScopes.find((s) => s !== 'openid') ?? 'openid'
  );
}

/** GET and DELETE of a registration, mirrored at the bank where its profile supports it. */
@Injectable()
export class RegistrationManagementService {
  private readonly logger = new Logger(RegistrationManagementService.name);

  constructor(
    private readonly registrations: BankRegistrationRepository,
    private readonly contexts: ClientContextFactory,
    private readonly endpoint: RegistrationEndpointClient,
    private readonly tokens: TokenService,
    private readonly cipher: SecretCipher,
    @Optional() private readonly cache?: ClientContextCache,
  ) {}

  /** Refreshes externalApiResponse from GET /register/{ClientId} unless skipped or unsupported. */
  async read(id: string, excludeExternalApiOperation: boolean): Promise<ReadOutcome> {
    const row = await this.find(id);
    // A shared client is the group registration's: read it at the bank through that one.
    if (excludeExternalApiOperation || !row.externalApiId || row.registrationMode === 'shared')
      return { row };
    const { context, session } = await this.contexts.withSession(row);
    if (!session.profile.registration.getSupported) return { row };
    const bearer = await this.managementBearer(row, session, () =>
      this.tokens.getClientCredentialsToken(context, this.scopeFor(row, session)),
    );
    if (bearer === null) return { row };
    const res = await this.endpoint.read(session, row.externalApiId, bearer);
    // Secrets the bank sends back again are dropped here, exactly as on create.
    row.externalApiResponse = parseDcrResponse(res.data, session.profile.registration).stored;
    await this.registrations.saveChanges(row);
    return { row, interactionId: res.interactionId };
  }

  /** Deletes the client at the bank where supported (unless skipped), then soft-deletes the row. */
  async remove(
    id: string,
    excludeExternalApiOperation: boolean,
  ): Promise<{ interactionId?: string }> {
    const row = await this.find(id);
    let interactionId: string | undefined;
    // A shared client belongs to the group registration: deleting a brand's row never deletes it.
    if (!excludeExternalApiOperation && row.externalApiId && row.registrationMode !== 'shared') {
      const { context, session } = await this.contexts.withSession(row);
      if (session.profile.registration.deleteSupported) {
        await this.assertNotShared(row, row.externalApiId);
        const bearer = await this.managementBearer(row, session, () =>
          this.tokens.getClientCredentialsToken(context, this.scopeFor(row, session)),
        );
        if (bearer === null) {
          throw new DomainError(
            'bank-registration/no-registration-access-token',
            'unprocessable',
            'No registration access token to delete the client with',
            {
              detail: `Bank profile '${row.bankProfile}' manages registrations with the registration access token, and none is stored for this registration. Send x-exclude-external-api-operation: true to delete it only in the connector.`,
            },
          );
        }
        interactionId = (await this.endpoint.remove(session, row.externalApiId, bearer))
          .interactionId;
        this.logger.log(
          `deleted client of registration ${row.id} at bank profile ${row.bankProfile}`,
        );
      }
    }
    await this.registrations.markDeleted(row.id);
    this.cache?.clear();
    this.tokens.invalidate(row.id);
    return { interactionId };
  }

  /** Deleting a client at the bank would strand the brands' registrations that reuse it. */
  private async assertNotShared(row: BankRegistrationEntity, clientId: string): Promise<void> {
    const sharing = await this.registrations.listSharing(clientId);
    if (sharing.length === 0) return;
    throw new DomainError(
      'bank-registration/client-shared',
      'conflict',
      "Other bank registrations share this registration's client",
      {
        detail: `Bank registrations ${sharing.map((r) => `${r.id} (${r.bankProfile})`).join(', ')} reuse the client of registration ${row.id} (registration.sharedWith). Delete them first, or send x-exclude-external-api-operation: true to delete this one only in the connector and keep the client at the bank.`,
      },
    );
  }

  private async find(id: string): Promise<BankRegistrationEntity> {
    const row = await this.registrations.findRegistered(id);
    if (!row) throw new NotFoundError('bank-registration', id);
    return row;
  }

  private scopeFor(row: BankRegistrationEntity, session: BankSession): string {
    return managementScope(row.scopes, session.profile.registration.defaultScopes);
  }

  /** The bearer for /register/{ClientId} per the profile; null when the needed token is absent. */
  private async managementBearer(
    row: BankRegistrationEntity,
    session: BankSession,
    clientCredentials: () => Promise<string>,
  ): Promise<string | null> {
    if (session.profile.registration.managementAuth === 'client-credentials')
      return clientCredentials();
    if (!row.registrationAccessToken) return null;
    return this.cipher.decrypt(row.registrationAccessToken, {
      table: REGISTRATION_TABLE,
      rowId: row.id,
      column: 'registrationAccessToken',
    });
  }
}
