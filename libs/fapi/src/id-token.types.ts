import { IdTokenQuirks } from '@obc/bank-profiles';

/** Where the ID token came from: the front channel (hybrid flow) or the token endpoint. */
export type IdTokenSource = 'authorisation' | 'token';

export interface IdTokenExpectations {
  profileId: string;
  /**
   * The issuer the ID token must name, compared exactly: the discovery issuer, or the one the
   * profile's `quirks.idToken.issuer` names.
   */
  issuer: string;
  clientId: string;
  jwksUri: string;
  trustedCaPem?: string;
  /** The nonce sent in the request object. */
  nonce: string;
  /** The bank's consent id the authorisation was for. */
  intentId: string;
  /**
   * Profile `quirks.authorisation.intentIdPrefix`: the request object named the consent with
   * this prefix, so the ID token may echo either the bare or the prefixed id.
   */
  intentIdPrefix?: string;
  source: IdTokenSource;
  /** The authorisation code received with the token (checked against c_hash). */
  code?: string;
  /** The state received with the token (checked against s_hash). */
  state?: string;
  /** The access token issued with it (checked against at_hash when present). */
  accessToken?: string;
  quirks: IdTokenQuirks;
  /** iat may be at most this old; default 3600. */
  maxAgeSeconds?: number;
  /** Allowed clock skew; default 60. */
  clockToleranceSeconds?: number;
}

/** The verified claims; `exp` is always in seconds (normalised for `expInMilliseconds` banks). */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  /** Absent only for a bank whose profile sets `quirks.idToken.intentIdClaimOptional`. */
  openbanking_intent_id?: string;
  nonce?: string;
  azp?: string;
  acr?: string;
  auth_time?: number;
  c_hash?: string;
  s_hash?: string;
  at_hash?: string;
  [claim: string]: unknown;
}
