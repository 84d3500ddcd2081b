import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@obc/common';
import { SecretCipher } from '@obc/persistence';
import { JwtSigner } from '../shared/jwt-signer';
import { SoftwareStatementEntity } from '../software-statements/software-statement.entity';
import { SoftwareStatementService } from '../software-statements/software-statement.service';
import { BankRegistrationEntity } from './bank-registration.entity';
import { BankSessionFactory } from './bank-session.factory';
import { REGISTRATION_TABLE } from './client-context.factory';
import { buildDcrClaims } from './dcr-claims.builder';
import { parseDcrResponse } from './dcr-response.parser';
import { RegistrationEndpointClient } from './registration-endpoint.client';

/**
 * Registers a client at a bank by UK DCR: discovery, the signed registration JWT built per the
 * profile, POST /register, and the answer written into the (not yet saved) row: client id, the
 * secrets encrypted, the response with the secrets stripped. The row's dcrJti is the JWT's jti,
 * so a retried pending registration sends the same one.
 */
@Injectable()
export class DcrRegistrar {
  private readonly logger = new Logger(DcrRegistrar.name);

  constructor(
    private readonly sessions: BankSessionFactory,
    private readonly statements: SoftwareStatementService,
    private readonly endpoint: RegistrationEndpointClient,
    private readonly signer: JwtSigner,
    private readonly cipher: SecretCipher,
    private readonly clock: Clock,
  ) {}

  async register(
    row: BankRegistrationEntity,
    statement: SoftwareStatementEntity,
  ): Promise<{ row: BankRegistrationEntity; interactionId: string }> {
    const session = await this.sessions.open(row.bankProfile, statement);
    const obwac = session.transport;
    const claims = buildDcrClaims({
      registration: session.profile.registration,
      tokenEndpointAuthMethod: session.profile.tokenEndpointAuthMethod,
      responseType: session.profile.quirks.authorisation.responseType,
      financialId: session.profile.financialId,
      issuer: session.metadata.issuer,
      softwareId: statement.softwareId,
      softwareStatement: await this.statements.ssaOf(statement),
      transportCertificatePem: obwac.certificatePem,
      redirectUris: row.redirectUris,
      scopes: row.scopes,
      jti: row.dcrJti ?? '',
      nowSeconds: this.clock.nowSeconds(),
    });
    const jwt = await this.signer.sign(claims, session.signingKey);
    const res = await this.endpoint.register(session, jwt);
    const parsed = parseDcrResponse(res.data, session.profile.registration);

    row.externalApiId = parsed.clientId;
    row.externalApiResponse = parsed.stored;
    row.tokenEndpointAuthMethod =
      parsed.tokenEndpointAuthMethod ?? session.profile.tokenEndpointAuthMethod;
    if (parsed.scopes) row.scopes = parsed.scopes;
    row.clientSecret = parsed.clientSecret
      ? await this.encrypt(row.id, 'clientSecret', parsed.clientSecret)
      : null;
    row.registrationAccessToken = parsed.registrationAccessToken
      ? await this.encrypt(row.id, 'registrationAccessToken', parsed.registrationAccessToken)
      : null;
    row.status = 'registered';
    this.logger.log(
      `registered at bank profile ${row.bankProfile} (registration ${row.id}, interaction ${res.interactionId})`,
    );
    return { row, interactionId: res.interactionId };
  }

  async decrypt(
    rowId: string,
    column: 'clientSecret' | 'registrationAccessToken',
    cipherText: string,
  ): Promise<string> {
    return this.cipher.decrypt(cipherText, { table: REGISTRATION_TABLE, rowId, column });
  }

  async encrypt(
    rowId: string,
    column: 'clientSecret' | 'registrationAccessToken',
    plain: string,
  ): Promise<string> {
    return this.cipher.encrypt(plain, { table: REGISTRATION_TABLE, rowId, column });
  }
}
