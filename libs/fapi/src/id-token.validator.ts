import { Injectable } from '@nestjs/common';
import { compactVerify, CryptoKey, decodeProtectedHeader, ProtectedHeaderParameters } from 'jose';
import { Clock } from '@obc/common';
import { JwksCache } from './jwks.cache';
import { JwksKeyNotFoundError } from './jwks.errors';
import { IdTokenError } from './id-token.error';
import { oidcHalfHash } from './id-token-hash';
import { IdTokenClaims, IdTokenExpectations } from './id-token.types';

export const ID_TOKEN_DEFAULT_MAX_AGE_SECONDS = 3600;
export const ID_TOKEN_DEFAULT_CLOCK_TOLERANCE_SECONDS = 60;
/** Past this an `exp` can only be milliseconds (it is the year 5138 in seconds). */
const EXP_MILLISECONDS_THRESHOLD = 1e11;

type Claims = Record<string, unknown>;

/**
 * Validates a bank's ID token as FAPI 1 Advanced and the UK OB profile require: PS256 only,
 * signature against the bank's JWKS, exact issuer, audience only us, fresh, bound to our nonce,
 * to the consent (intent id) and, in the front channel, to the code and state it came with (the
 * detached-signature defence against code and state injection).
 */
@Injectable()
export class IdTokenValidator {
  constructor(
    private readonly jwks: JwksCache,
    private readonly clock: Clock,
  ) {}

  async validate(idToken: string, expected: IdTokenExpectations): Promise<IdTokenClaims> {
    const header = readHeader(idToken);
    // Decided before any key is fetched: `none`, HS256 (our public key as an HMAC secret) and
    // any other alg never reach a verifier.
    if (header.alg !== 'PS256') {
      throw new IdTokenError(
        'id-token/unsupported-alg',
        `The ID token is signed with '${String(header.alg)}'; only PS256 is accepted.`,
      );
    }
    const key = await this.keyFor(header, expected);
    const claims = await verify(idToken, key);
    const now = this.clock.nowSeconds();
    const tolerance = expected.clockToleranceSeconds ?? ID_TOKEN_DEFAULT_CLOCK_TOLERANCE_SECONDS;
    const maxAge = expected.maxAgeSeconds ?? ID_TOKEN_DEFAULT_MAX_AGE_SECONDS;

    checkIssuer(claims, expected);
    checkAudience(claims, expected);
    const exp = checkTimes(claims, expected, now, tolerance, maxAge);
    checkNonce(claims, expected);
    checkIntentId(claims, expected);
    checkHashes(claims, expected);
    checkSubject(claims, expected);
    checkAuthenticationClaims(claims, expected);
    return { ...(claims as IdTokenClaims), exp };
  }

  private async keyFor(
    header: ProtectedHeaderParameters,
    expected: IdTokenExpectations,
  ): Promise<CryptoKey> {
    try {
      return await this.jwks.getKey({
        profileId: expected.profileId,
        jwksUri: expected.jwksUri,
        kid: typeof header.kid === 'string' ? header.kid : undefined,
        trustedCaPem: expected.trustedCaPem,
      });
    } catch (e: unknown) {
      if (e instanceof JwksKeyNotFoundError) {
        throw new IdTokenError(
          'id-token/invalid-signature',
          "The ID token's key (kid) is not in the bank's JWKS.",
          e,
        );
      }
      throw e;
    }
  }
}

function readHeader(idToken: string): ProtectedHeaderParameters {
  const parts = typeof idToken === 'string' ? idToken.split('.') : [];
  if (parts.length !== 3) {
    throw new IdTokenError('id-token/malformed', 'The ID token is not a compact JWS.');
  }
  try {
    return decodeProtectedHeader(idToken);
  } catch (e: unknown) {
    throw new IdTokenError('id-token/malformed', 'The ID token header cannot be read.', e);
  }
}

async function verify(idToken: string, key: CryptoKey): Promise<Claims> {
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(idToken, key, { algorithms: ['PS256'] }));
  } catch (e: unknown) {
    throw new IdTokenError(
      'id-token/invalid-signature',
      "The ID token's signature does not verify with the bank's key.",
      e instanceof Error ? new Error(e.name) : undefined,
    );
  }
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload).toString('utf8')) as unknown;
  } catch {
    throw new IdTokenError('id-token/malformed', 'The ID token payload is not JSON.');
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new IdTokenError('id-token/malformed', 'The ID token payload is not a JSON object.');
  }
  return claims as Claims;
}

function checkIssuer(claims: Claims, expected: IdTokenExpectations): void {
  if (claims.iss !== expected.issuer) {
    throw new IdTokenError(
      'id-token/wrong-issuer',
      `The ID token's issuer is not the bank's issuer '${expected.issuer}'.`,
    );
  }
}

function checkAudience(claims: Claims, expected: IdTokenExpectations): void {
  const aud = claims.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  // Every audience must be us: a token also meant for another party could be replayed by it.
  const onlyUs = audiences.length > 0 && audiences.every((a) => a === expected.clientId);
  if (!onlyUs) {
    throw new IdTokenError(
      'id-token/wrong-audience',
      'The ID token is not addressed to this client alone.',
    );
  }
  if (claims.azp !== undefined && claims.azp !== expected.clientId) {
    throw new IdTokenError(
      'id-token/wrong-audience',
      'The ID token was issued to another party (azp).',
    );
  }
}

/** Returns exp in seconds. */
function checkTimes(
  claims: Claims,
  expected: IdTokenExpectations,
  now: number,
  tolerance: number,
  maxAge: number,
): number {
  const rawExp = claims.exp;
  const rawIat = claims.iat;
  if (typeof rawExp !== 'number' || !Number.isFinite(rawExp)) {
    throw new IdTokenError('id-token/malformed', 'The ID token has no numeric exp.');
  }
  if (typeof rawIat !== 'number' || !Number.isFinite(rawIat)) {
    throw new IdTokenError('id-token/malformed', 'The ID token has no numeric iat.');
  }
  // Documented quirk: some banks put milliseconds in exp and iat. Only an impossible-in-seconds
  // value is read as milliseconds, so a bank that fixes its tokens keeps working.
  const seconds = (value: number): number =>
    expected.quirks.expInMilliseconds && value > EXP_MILLISECONDS_THRESHOLD
      ? Math.floor(value / 1000)
      : value;
  const exp = seconds(rawExp);
  const iat = seconds(rawIat);
  if (exp <= now - tolerance) {
    throw new IdTokenError('id-token/expired', 'The ID token has expired.');
  }
  if (iat > now + tolerance) {
    throw new IdTokenError('id-token/not-yet-valid', 'The ID token is issued in the future.');
  }
  if (now - iat > maxAge + tolerance) {
    throw new IdTokenError(
      'id-token/issued-too-long-ago',
      `The ID token was issued more than ${maxAge} seconds ago.`,
    );
  }
  if (typeof claims.nbf === 'number' && claims.nbf > now + tolerance) {
    throw new IdTokenError('id-token/not-yet-valid', 'The ID token is not valid yet (nbf).');
  }
  return exp;
}

function checkNonce(claims: Claims, expected: IdTokenExpectations): void {
  if (claims.nonce === undefined) {
    // Front channel: the nonce is what ties the token to this browser session; never optional.
    if (expected.source === 'token' && expected.quirks.nonceOptional) return;
    throw new IdTokenError('id-token/missing-nonce', 'The ID token carries no nonce.');
  }
  if (claims.nonce !== expected.nonce) {
    throw new IdTokenError(
      'id-token/nonce-mismatch',
      'The ID token nonce is not the one sent in the authorisation request.',
    );
  }
}

function checkIntentId(claims: Claims, expected: IdTokenExpectations): void {
  const claim = claims.openbanking_intent_id;
  // Documented quirk: a bank that leaves the claim out; one it writes must still be this consent.
  if (claim === undefined && expected.quirks.intentIdClaimOptional) return;
  const prefixed =
    expected.intentIdPrefix !== undefined ? `${expected.intentIdPrefix}${expected.intentId}` : null;
  if (claim !== expected.intentId && (prefixed === null || claim !== prefixed)) {
    throw new IdTokenError(
      'id-token/intent-id-mismatch',
      'The ID token is for another consent (openbanking_intent_id).',
    );
  }
}

function checkHashes(claims: Claims, expected: IdTokenExpectations): void {
  const front = expected.source === 'authorisation';
  checkHash(claims.c_hash, expected.code, front, 'c-hash', 'c_hash', 'code');
  checkHash(claims.s_hash, expected.state, front, 's-hash', 's_hash', 'state');
  if (claims.at_hash !== undefined && expected.accessToken !== undefined) {
    checkHash(claims.at_hash, expected.accessToken, false, 'at-hash', 'at_hash', 'access token');
  }
}

function checkHash(
  claim: unknown,
  value: string | undefined,
  required: boolean,
  code: 'c-hash' | 's-hash' | 'at-hash',
  name: string,
  of: string,
): void {
  if (value === undefined) return;
  if (claim === undefined) {
    if (!required || code === 'at-hash') return;
    throw new IdTokenError(
      `id-token/missing-${code}`,
      `The ID token carries no ${name} for the ${of}.`,
    );
  }
  if (claim !== oidcHalfHash(value)) {
    throw new IdTokenError(
      `id-token/${code}-mismatch`,
      `The ID token's ${name} does not match the ${of} it came with.`,
    );
  }
}

function checkSubject(claims: Claims, expected: IdTokenExpectations): void {
  const sub = claims.sub;
  const mode = expected.quirks.subject;
  const ok =
    typeof sub === 'string' &&
    sub.length > 0 &&
    (mode === 'consent-id'
      ? sub === expected.intentId
      : mode === 'client-id'
        ? sub === expected.clientId
        : true);
  if (!ok) {
    throw new IdTokenError(
      'id-token/wrong-subject',
      `The ID token subject is not what the bank's profile says it is ('${mode}').`,
    );
  }
}

function checkAuthenticationClaims(claims: Claims, expected: IdTokenExpectations): void {
  if (!expected.quirks.acrOptional && typeof claims.acr !== 'string') {
    throw new IdTokenError('id-token/missing-acr', 'The ID token carries no acr.');
  }
  if (!expected.quirks.authTimeOptional && typeof claims.auth_time !== 'number') {
    throw new IdTokenError('id-token/missing-auth-time', 'The ID token carries no auth_time.');
  }
}
