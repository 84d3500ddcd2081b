// oidc-provider ships no type declarations; these cover only what the mock bank uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type { Socket } from 'node:net';

  export interface AdapterPayload {
    [key: string]: unknown;
    grantId?: string;
    uid?: string;
    userCode?: string;
    consumed?: number;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export type AdapterConstructor = new (model: string) => Adapter;

  export interface ClientMetadata {
    [key: string]: unknown;
    client_id: string;
  }

  export interface Client {
    clientId: string;
    metadata(): ClientMetadata;
  }

  export interface ClientCredentialsToken {
    jti: string;
    clientId: string;
    scope?: string;
    exp?: number;
    'x5t#S256'?: string;
    isSenderConstrained(): boolean;
  }

  export interface KoaContextWithOIDC {
    body?: unknown;
    req: IncomingMessage;
    res: ServerResponse;
    socket: Socket;
    oidc?: {
      params?: Record<string, unknown>;
      client?: Client;
    };
  }

  export type Configuration = Record<string, unknown>;

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (ctx: KoaContextWithOIDC, ...rest: unknown[]) => void): this;
    readonly Client: {
      find(id: string): Promise<Client | undefined>;
      validate(metadata: ClientMetadata): Promise<void>;
      readonly adapter: Adapter;
    };
    readonly ClientCredentials: {
      find(token: string): Promise<ClientCredentialsToken | undefined>;
    };
  }

  export const errors: {
    InvalidRequestObject: new (description: string) => Error;
    InvalidClientMetadata: new (
      description: string,
    ) => Error & { error: string; error_description: string };
  };
}
