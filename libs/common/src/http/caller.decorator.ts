import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** Who is calling: set by the API-key passport strategy on `req.user`. */
export interface CallerIdentity {
  /** Stable, non-secret id of the API key used (e.g. `key-1`, or a hash prefix). */
  apiKeyId: string;
}

/** Injects the authenticated caller into a handler: `create(@Caller() caller: CallerIdentity)`. */
export const Caller = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): CallerIdentity => {
    const req = ctx.switchToHttp().getRequest<Request & { user?: CallerIdentity }>();
    return req.user ?? { apiKeyId: 'anonymous' };
  },
);

/** Header that asks the connector to skip the bank-side operation (API.md). */
export const EXCLUDE_EXTERNAL_API_OPERATION_HEADER = 'x-exclude-external-api-operation';
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const FAPI_INTERACTION_ID_HEADER = 'x-fapi-interaction-id';
