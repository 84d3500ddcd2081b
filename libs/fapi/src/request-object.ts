import { KeyObject } from 'node:crypto';
import { JWTPayload } from 'jose';
import { Clock, RandomSource } from '@obc/common';
import { signJwt } from './jwt-signer';
import { ensureOpenidScope } from './openid-scope';
import { PKCE_METHOD } from './pkce';

export const REQUEST_OBJECT_LIFETIME_SECONDS = 300;

export type AuthorisationResponseType = 'code id_token' | 'code';
export type AuthorisationResponseMode = 'fragment' | 'query';

export interface RequestObjectInput {
  clientId: string;
  /** The bank's issuer: the audience unless `audience` is given. */
  issuer: string;
  /** Profile `quirks.authorisation.requestObjectAudience`, when the bank wants another audience. */
  audience?: string;
  responseType: AuthorisationResponseType;
  redirectUri: string;
  /** Space separated; `openid` is added when missing. */
  scope: string;
  state: string;
  nonce: string;
  /** The bank's consent id (ConsentId / intent id). */
  intentId: string;
  /** Profile `quirks.authorisation.intentIdPrefix`: written before the intent id in the claims. */
  intentIdPrefix?: string;
  /** Profile `quirks.authorisation.acrValues`. */
  acrValues: string[];
  /** S256 challenge when the bank takes PKCE. */
  codeChallenge?: string;
  /** Sent when given (the caller passes it when the profile asks for a non-default mode). */
  responseMode?: AuthorisationResponseMode;
  signingKey: { kid: string; privateKey: KeyObject };
  clock: Clock;
  random: RandomSource;
}

/**
 * The signed request object (FAPI 1 Advanced: every authorisation parameter inside a PS256 JWT,
 * short lived, with nbf and exp). The intent id is requested as an essential claim so the bank
 * binds the authorisation to that consent and echoes it in the ID token.
 */
export async function buildRequestObject(input: RequestObjectInput): Promise<string> {
  const iat = input.clock.nowSeconds();
  const intentId = `${input.intentIdPrefix ?? ''}${input.intentId}`;
  const payload: JWTPayload = {
    iss: input.clientId,
    aud: input.audience ?? input.issuer,
    response_type: input.responseType,
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    scope: ensureOpenidScope(input.scope),
    state: input.state,
    nonce: input.nonce,
    iat,
    nbf: iat,
    exp: iat + REQUEST_OBJECT_LIFETIME_SECONDS,
    jti: input.random.uuid(),
    claims: {
      id_token: {
        openbanking_intent_id: { value: intentId, essential: true },
        acr: { essential: true, values: [...input.acrValues] },
      },
      userinfo: {
        openbanking_intent_id: { value: intentId, essential: true },
      },
    },
  };
  if (input.codeChallenge !== undefined) {
    payload.code_challenge = input.codeChallenge;
    payload.code_challenge_method = PKCE_METHOD;
  }
  if (input.responseMode !== undefined) payload.response_mode = input.responseMode;
  return signJwt(payload, {
    privateKey: input.signingKey.privateKey,
    kid: input.signingKey.kid,
  });
}
