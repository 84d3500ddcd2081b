import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError } from '@obc/common';
import { API_KEY_STRATEGY } from './api-key.strategy';
import { IS_PUBLIC_ROUTE } from './public.decorator';

export class MissingApiKeyError extends DomainError {
  constructor() {
    super('auth/invalid-api-key', 'unauthenticated', 'A valid API key is required', {
      detail: 'Send `Authorization: Bearer <api-key>` with one of the keys configured in API_KEYS.',
    });
  }
}

/** Global guard: every route needs an API key unless marked @Public(). */
@Injectable()
export class ApiKeyGuard extends AuthGuard(API_KEY_STRATEGY) {
  constructor(private readonly reflector: Reflector) {
    super({ session: false });
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    return super.canActivate(context);
  }

  override handleRequest<TUser>(err: unknown, user: TUser | false): TUser {
    if (err || !user) throw new MissingApiKeyError();
    return user;
  }
}
