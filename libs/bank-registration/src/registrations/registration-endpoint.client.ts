import { Injectable } from '@nestjs/common';
import { DomainError } from '@obc/common';
import { BankHttpClient, BankResponse } from '@obc/bank-http';
import { effectiveEndpoint } from '@obc/token-management';
import { BankSession } from './bank-session.factory';

/**
 * The bank's UK DCR endpoint (POST /register, GET and DELETE /register/{ClientId}), called
 * through the one bank HTTP layer over mTLS with the OBWAC transport.
 */
@Injectable()
export class RegistrationEndpointClient {
  constructor(private readonly http: BankHttpClient) {}

  async register(session: BankSession, registrationJwt: string): Promise<BankResponse<unknown>> {
    return this.http.request<unknown>({
      profileId: session.profile.id,
      endpoint: 'dcr.register',
      method: 'POST',
      url: this.endpoint(session),
      headers: {
        'content-type': session.profile.registration.requestContentType,
        accept: 'application/json',
      },
      body: registrationJwt,
      transport: session.transport,
      trustedCaPem: session.trustedCaPem,
      financialId: session.profile.financialId,
      expectStatus: [200, 201],
    });
  }

  read(session: BankSession, clientId: string, bearer: string): Promise<BankResponse<unknown>> {
    return this.manage(session, clientId, bearer, 'GET', [200]);
  }

  remove(session: BankSession, clientId: string, bearer: string): Promise<BankResponse<unknown>> {
    return this.manage(session, clientId, bearer, 'DELETE', [200, 202, 204]);
  }

  /** GET or DELETE /register/{ClientId}, authorised by a bearer token per the profile. */
  private manage(
    session: BankSession,
    clientId: string,
    bearer: string,
    method: 'GET' | 'DELETE',
    expectStatus: number[],
  ): Promise<BankResponse<unknown>> {
    return this.http.request<unknown>({
      profileId: session.profile.id,
      endpoint: method === 'GET' ? 'dcr.get' : 'dcr.delete',
      method,
      url: `${this.endpoint(session)}/${encodeURIComponent(clientId)}`,
      headers: { authorization: `Bearer ${bearer}` },
      transport: session.transport,
      trustedCaPem: session.trustedCaPem,
      financialId: session.profile.financialId,
      expectStatus,
    });
  }

  private endpoint(session: BankSession): string {
    const url = effectiveEndpoint(session.metadata, 'registration_endpoint');
    if (!url) {
      throw new DomainError(
        'bank-registration/no-registration-endpoint',
        'bank-failure',
        'The bank publishes no registration endpoint',
        {
          detail: `The OpenID configuration of bank profile '${session.profile.id}' has no registration_endpoint.`,
        },
      );
    }
    return url.replace(/\/+$/, '');
  }
}
