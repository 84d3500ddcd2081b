import { Injectable } from '@nestjs/common';
import { Clock, DomainError, RandomSource } from '@obc/common';
import { CLIENT_ASSERTION_TYPE, createClientAssertion, KeyStore } from '@obc/fapi';
import { ClientContext } from './client-context';

export interface ClientAuthentication {
  /** Form members to add to the token request body. */
  form: Record<string, string>;
  headers: Record<string, string>;
}

/** RFC 6749 §2.3.1: id and secret are form-encoded before they are joined for Basic. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** Builds the client authentication for a token request, per the registration's method. */
@Injectable()
export class ClientAuthenticator {
  constructor(
    private readonly keys: KeyStore,
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  async authenticate(client: ClientContext): Promise<ClientAuthentication> {
    switch (client.authMethod) {
      case 'tls_client_auth':
        // The certificate on the connection authenticates; client_id says which client.
        return { form: { client_id: client.clientId }, headers: {} };
      case 'private_key_jwt': {
        const assertion = await createClientAssertion({
          clientId: client.clientId,
          audience: client.audience ?? client.tokenEndpoint,
          key: this.keys.privateKey(client.signingKey.privateKeyPem),
          kid: client.signingKey.kid,
          clock: this.clock,
          random: this.random,
        });
        return {
          form: { client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion },
          headers: {},
        };
      }
      case 'client_secret_basic': {
        const secret = requireSecret(client);
        const basic = Buffer.from(`${formEncode(client.clientId)}:${formEncode(secret)}`).toString(
          'base64',
        );
        return { form: {}, headers: { authorization: `Basic ${basic}` } };
      }
      case 'client_secret_post':
        return {
          form: { client_id: client.clientId, client_secret: requireSecret(client) },
          headers: {},
        };
      default: {
        const method: never = client.authMethod;
        throw new DomainError(
          'token/unsupported-auth-method',
          'internal',
          'Unsupported client authentication method',
          {
            detail: `Token endpoint auth method '${String(method)}' is not supported.`,
          },
        );
      }
    }
  }
}

function requireSecret(client: ClientContext): string {
  if (!client.clientSecret) {
    throw new DomainError(
      'token/client-secret-missing',
      'unprocessable',
      'The bank registration has no client secret',
      {
        detail: `Bank registration ${client.registrationId} uses ${client.authMethod} but has no client secret; set externalApiSecret on the registration.`,
      },
    );
  }
  return client.clientSecret;
}
