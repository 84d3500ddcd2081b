import { KeyObject } from 'node:crypto';
import { JWTPayload, SignJWT } from 'jose';
import { Clock, RandomSource } from '@obc/common';

/** Only PS256: FAPI 1 Advanced and UK OB allow no other for our signatures. */
export type FapiSigningAlg = 'PS256';

export interface SignJwtOptions {
  privateKey: KeyObject;
  kid: string;
  alg?: FapiSigningAlg;
  typ?: string;
  /** Extra protected header members (e.g. `crit` claims); cannot override alg or kid. */
  header?: Record<string, unknown>;
}

/** Signs `payload` as a compact JWS (claims are taken as given: the caller sets iat/exp). */
export async function signJwt(payload: JWTPayload, options: SignJwtOptions): Promise<string> {
  const header = {
    ...(options.header ?? {}),
    ...(options.typ ? { typ: options.typ } : {}),
    alg: options.alg ?? 'PS256',
    kid: options.kid,
  };
  return new SignJWT(payload).setProtectedHeader(header).sign(options.privateKey);
}

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const CLIENT_ASSERTION_LIFETIME_SECONDS = 300;

export interface ClientAssertionInput {
  clientId: string;
  /** Token endpoint (or the issuer, where a bank's profile says so). */
  audience: string;
  key: KeyObject;
  kid: string;
  clock: Clock;
  random: RandomSource;
}

/** private_key_jwt (RFC 7523): iss = sub = client id, single-use jti, five minutes' life. */
export async function createClientAssertion(input: ClientAssertionInput): Promise<string> {
  const iat = input.clock.nowSeconds();
  return signJwt(
    {
      iss: input.clientId,
      sub: input.clientId,
      aud: input.audience,
      jti: input.random.uuid(),
      iat,
      exp: iat + CLIENT_ASSERTION_LIFETIME_SECONDS,
    },
    { privateKey: input.key, kid: input.kid },
  );
}
