import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { CallerIdentity } from '@obc/common';
import { ApiKeyVerifier } from './api-key.verifier';

export const API_KEY_STRATEGY = 'api-key';

/** `Authorization: Bearer <api-key>` for callers of the connector's API. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, API_KEY_STRATEGY) {
  constructor(private readonly verifier: ApiKeyVerifier) {
    super();
  }

  validate(token: string): CallerIdentity | false {
    const apiKeyId = this.verifier.identify(token);
    return apiKeyId === undefined ? false : { apiKeyId };
  }
}
