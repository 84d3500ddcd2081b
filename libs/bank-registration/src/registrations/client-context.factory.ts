import { Injectable } from '@nestjs/common';
import { CONSENT_TYPES, consentScope } from '@obc/bank-profiles';
import { DomainError } from '@obc/common';
import { SecretCipher } from '@obc/persistence';
import {
  ClientContext,
  effectiveTokenEndpoint,
  TokenEndpointAuthMethod,
} from '@obc/token-management';
import { SoftwareStatementService } from '../software-statements/software-statement.service';
import { BankRegistrationEntity } from './bank-registration.entity';
import { BankRegistrationRepository } from './bank-registration.repository';
import { BankSession, BankSessionFactory } from './bank-session.factory';
import { ClientContextCache } from './client-context.cache';

/** What other feature modules need to know about a registration besides its credentials. */
export interface BankRegistrationDetails {
  registrationId: string;
  bankProfile: string;
  clientId: string;
  scopes: string[];
  redirectUris: string[];
  defaultRedirectUri: string;
  organisationId: string;
  softwareId: string;
}

export function unknownRegistrationError(id: string): DomainError {
  return new DomainError('bank-registration/unknown', 'validation', 'Unknown bank registration', {
    detail: `No bank registration with id '${id}'.`,
  });
}

export const REGISTRATION_TABLE = 'bank_registration';

/**
 * The one way other modules get what a bank registration lets them do: a ClientContext for the
 * token service (secrets decrypted, keys resolved, discovery applied) and the registration's
 * details. An unknown or deleted registration is `bank-registration/unknown` (400): callers name
 * registrations in request bodies.
 */
@Injectable()
export class ClientContextFactory {
  constructor(
    private readonly registrations: BankRegistrationRepository,
    private readonly statements: SoftwareStatementService,
    private readonly sessions: BankSessionFactory,
    private readonly cipher: SecretCipher,
    private readonly cache: ClientContextCache,
  ) {}

  /** Cached per registration (see ClientContextCache for how long and what clears it). */
  forRegistration(id: string): Promise<ClientContext> {
    return this.cache.get(id, async () => {
      const row = await this.registrations.findRegistered(id);
      if (!row) throw unknownRegistrationError(id);
      return (await this.withSession(row)).context;
    });
  }

  async details(id: string): Promise<BankRegistrationDetails> {
    const row = await this.registrations.findRegistered(id);
    if (!row) throw unknownRegistrationError(id);
    const statement = await this.statements.getReferenced(row.softwareStatementId);
    return {
      registrationId: row.id,
      bankProfile: row.bankProfile,
      clientId: row.externalApiId ?? '',
      scopes: row.scopes,
      redirectUris: row.redirectUris,
      defaultRedirectUri: row.defaultRedirectUri,
      organisationId: statement.organisationId,
      softwareId: statement.softwareId,
    };
  }

  /** For this module's own management calls, which need the session as well. */
  async withSession(
    row: BankRegistrationEntity,
  ): Promise<{ context: ClientContext; session: BankSession }> {
    const statement = await this.statements.getReferenced(row.softwareStatementId);
    const session = await this.sessions.open(row.bankProfile, statement);
    const clientSecret = row.clientSecret
      ? await this.cipher.decrypt(row.clientSecret, {
          table: REGISTRATION_TABLE,
          rowId: row.id,
          column: 'clientSecret',
        })
      : undefined;
    const context: ClientContext = {
      registrationId: row.id,
      profileId: row.bankProfile,
      clientId: row.externalApiId ?? '',
      authMethod: row.tokenEndpointAuthMethod as TokenEndpointAuthMethod,
      clientSecret,
      tokenEndpoint: effectiveTokenEndpoint(session.metadata),
      issuer: session.metadata.issuer,
      transport: session.transport,
      trustedCaPem: session.trustedCaPem,
      signingKey: { kid: session.signingKey.kid, privateKeyPem: session.signingKey.privateKeyPem },
      financialId: session.profile.financialId,
      bankJwksUri: session.metadata.jwks_uri,
      // Profile quirk tokenEndpoint.scopeInConsentGrants: each consent type's grants name the
      // scope its authorisation asked for.
      ...(session.profile.quirks.tokenEndpoint.scopeInConsentGrants
        ? {
            consentGrantScopes: Object.fromEntries(
              CONSENT_TYPES.map((type) => [type, consentScope(session.profile.quirks, type)]),
            ),
          }
        : {}),
    };
    return { context, session };
  }
}
