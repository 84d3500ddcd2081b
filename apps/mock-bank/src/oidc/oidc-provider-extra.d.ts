// Merges into ../types/oidc-provider.d.ts: the parts of oidc-provider the authorisation side uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface StoredAccessToken {
    jti: string;
    clientId: string;
    accountId?: string;
    grantId?: string;
    gty?: string;
    scope?: string;
    exp?: number;
    iat?: number;
    extra?: Record<string, unknown>;
    'x5t#S256'?: string;
    isSenderConstrained(): boolean;
  }

  export interface ClientCredentialsToken {
    iat?: number;
    extra?: Record<string, unknown>;
  }

  export interface InteractionPrompt {
    name: string;
    reasons: string[];
    details: Record<string, unknown>;
  }

  export interface InteractionDetails {
    uid: string;
    prompt: InteractionPrompt;
    params: Record<string, unknown>;
    session?: { accountId?: string };
    grantId?: string;
  }

  export interface GrantInstance {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface InteractionResult {
    login?: { accountId: string; acr?: string; amr?: string[]; remember?: boolean; ts?: number };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
  }

  export interface KoaContextWithOIDC {
    path: string;
    status: number;
    query: Record<string, unknown>;
    response: { get(field: string): string };
    set(field: string, value: string): void;
  }

  export interface Provider {
    use(middleware: (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>): void;
    readonly AccessToken: {
      find(token: string): Promise<StoredAccessToken | undefined>;
    };
    readonly Grant: new (init: { accountId: string; clientId: string }) => GrantInstance;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResult,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResult,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
  }
}
