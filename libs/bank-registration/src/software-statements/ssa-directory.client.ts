import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainError, RandomSource } from '@obc/common';
import { ConnectorConfig, DirectoryConfig } from '@obc/config';
import { BankHttpClient, type BankTransport } from '@obc/bank-http';
import { JwtSigner, type JwtSigningKey } from '../shared/jwt-signer';

export interface SsaFetch {
  sandboxEnvironment: boolean;
  organisationId: string;
  softwareId: string;
  transport: BankTransport;
  signingKey: JwtSigningKey;
}

/** Calls go through the bank HTTP layer under this pseudo profile id (logs and metrics). */
export const DIRECTORY_PROFILE_ID = 'ob-directory';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Fetches a software statement assertion from the Open Banking directory: a client-credentials
 * token (private_key_jwt signed with the OBSeal key, over mTLS with the OBWAC certificate), then
 * GET of the configured SSA URL with it. The response body is the SSA JWT itself.
 */
@Injectable()
export class SsaDirectoryClient {
  private readonly logger = new Logger(SsaDirectoryClient.name);

  constructor(
    private readonly config: ConnectorConfig,
    private readonly http: BankHttpClient,
    private readonly signer: JwtSigner,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  async fetchSsa(input: SsaFetch): Promise<string> {
    const environment = input.sandboxEnvironment ? 'sandbox' : 'production';
    const directory: DirectoryConfig = this.config.directory[environment];
    if (!directory.tokenUrl || !directory.ssaUrl) {
      const prefix = `DIRECTORY_${environment.toUpperCase()}`;
      throw new DomainError(
        'software-statement/directory-not-configured',
        'unprocessable',
        'No directory is configured to fetch the SSA from',
        {
          detail: `Supply softwareStatementAssertion, or configure ${prefix}_TOKEN_URL and ${prefix}_SSA_URL.`,
        },
      );
    }
    const accessToken = await this.directoryToken(directory.tokenUrl, directory, input);
    const url = directory.ssaUrl
      .replace('{organisationId}', encodeURIComponent(input.organisationId))
      .replace('{softwareId}', encodeURIComponent(input.softwareId));
    const res = await this.http.request<unknown>({
      profileId: DIRECTORY_PROFILE_ID,
      endpoint: 'directory.ssa',
      method: 'GET',
      url,
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: 'application/jwt, application/jose, text/plain, application/json',
      },
      transport: input.transport,
    });
    const ssa =
      typeof res.data === 'string' ? res.data.trim() : res.rawBody.trim().replace(/^"|"$/g, '');
    this.logger.log(
      `fetched SSA from the ${environment} directory for software ${input.softwareId}`,
    );
    return ssa;
  }

  private async directoryToken(
    tokenUrl: string,
    directory: DirectoryConfig,
    input: SsaFetch,
  ): Promise<string> {
    const iat = this.clock.nowSeconds();
    const assertion = await this.signer.sign(
      {
        iss: input.softwareId,
        sub: input.softwareId,
        aud: directory.audience ?? tokenUrl,
        jti: this.random.uuid(),
        iat,
        exp: iat + 300,
      },
      input.signingKey,
    );
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: directory.scope,
      client_id: input.softwareId,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: assertion,
    });
    const res = await this.http.request<{ access_token?: unknown }>({
      profileId: DIRECTORY_PROFILE_ID,
      endpoint: 'directory.token',
      method: 'POST',
      url: tokenUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      transport: input.transport,
    });
    const token = res.data?.access_token;
    if (typeof token !== 'string' || token.length === 0) {
      throw new DomainError(
        'software-statement/directory-token-missing',
        'bank-failure',
        'The directory returned no access token',
        {
          detail: 'The directory token endpoint answered without an access_token.',
        },
      );
    }
    return token;
  }
}
