import { KeyObject } from 'node:crypto';
import { base64url, compactVerify, CryptoKey } from 'jose';
import { Clock } from '@obc/common';
import { JwksKeyNotFoundError } from '../jwks.errors';
import {
  DETACHED_JWS_DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DETACHED_JWS_DEFAULT_MAX_AGE_SECONDS,
  OB_CRIT_HEADERS,
  OB_CRIT_OPTION,
  OB_DEFAULT_TRUST_ANCHOR,
  OB_IAT_HEADER,
  OB_ISS_HEADER,
  OB_TAN_HEADER,
} from './detached-jws.constants';
import { DetachedJwsError } from './detached-jws.error';
import { payloadBytes } from './detached-jws.signer';

/** Finds the bank's public key for a kid (e.g. through `JwksCache.getKey`). */
export type DetachedJwsKeyResolver = (kid: string) => Promise<KeyObject | CryptoKey>;

export interface VerifyDetachedJwsOptions {
  resolveKey: DetachedJwsKeyResolver;
  /** When given, `http://openbanking.org.uk/iss` must equal it. */
  expectedIssuer?: string;
  /** `http://openbanking.org.uk/tan` must equal it; defaults to `openbanking.org.uk`. */
  trustAnchor?: string;
  clock: Clock;
  /** `iat` not older than this; default 300. */
  maxAgeSeconds?: number;
  /** Allowed clock skew for an `iat` in the future; default 60. */
  clockToleranceSeconds?: number;
}

export interface VerifiedDetachedJws {
  kid: string;
  issuer: string;
  trustAnchor: string;
  issuedAt: number;
}

type Header = Record<string, unknown>;

/**
 * Verifies a bank's `x-jws-signature` over the exact response bytes received. Every header rule
 * is checked before any key is fetched, so a malformed or downgraded header never costs a JWKS
 * call; then the signature is checked by jose with the OB members as the only recognised `crit`.
 */
export async function verifyDetachedJws(
  signatureHeader: string | undefined,
  payload: string | Buffer,
  options: VerifyDetachedJwsOptions,
): Promise<VerifiedDetachedJws> {
  if (signatureHeader === undefined || signatureHeader.trim() === '') {
    throw new DetachedJwsError('jws/missing', 'The response has no x-jws-signature header.');
  }
  const parts = signatureHeader.trim().split('.');
  if (parts.length !== 3 || parts[0] === '' || parts[2] === '') {
    throw invalid('The signature is not a JWS of the form <protected>..<signature>.');
  }
  if (parts[1] !== '') {
    throw invalid('The signature is not detached: its payload part is not empty.');
  }
  const header = decodeHeader(parts[0]);
  const checked = checkHeader(header, options);
  const key = await resolve(options.resolveKey, checked.kid);
  const attached = `${parts[0]}.${base64url.encode(payloadBytes(payload))}.${parts[2]}`;
  try {
    await compactVerify(attached, key, { algorithms: ['PS256'], crit: OB_CRIT_OPTION });
  } catch (e: unknown) {
    throw invalid(
      'The signature does not verify over the payload received (the body or the header was altered, or the key is wrong).',
      e instanceof Error ? new Error(e.name) : undefined,
    );
  }
  return checked;
}

function checkHeader(header: Header, options: VerifyDetachedJwsOptions): VerifiedDetachedJws {
  if (header.alg !== 'PS256') {
    throw invalid(`The signature uses alg '${String(header.alg)}'; only PS256 is accepted.`);
  }
  // The OB profile signs the normal base64url payload; an unencoded payload (b64) is refused.
  if ('b64' in header) throw invalid("The header has a 'b64' member; the OB profile forbids it.");
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw invalid("The header has no 'kid'.");
  }
  checkCrit(header.crit);
  const iat = header[OB_IAT_HEADER];
  const iss = header[OB_ISS_HEADER];
  const tan = header[OB_TAN_HEADER];
  if (iat === undefined) throw invalid(`The header lacks '${OB_IAT_HEADER}', listed in crit.`);
  if (iss === undefined) throw invalid(`The header lacks '${OB_ISS_HEADER}', listed in crit.`);
  if (tan === undefined) throw invalid(`The header lacks '${OB_TAN_HEADER}', listed in crit.`);
  if (typeof iat !== 'number' || !Number.isInteger(iat)) {
    throw invalid(`'${OB_IAT_HEADER}' is not a number of seconds.`);
  }
  if (typeof iss !== 'string' || iss === '') throw invalid(`'${OB_ISS_HEADER}' is not a string.`);
  if (typeof tan !== 'string' || tan === '') throw invalid(`'${OB_TAN_HEADER}' is not a string.`);

  const expectedTan = options.trustAnchor ?? OB_DEFAULT_TRUST_ANCHOR;
  if (tan !== expectedTan) {
    throw invalid(`'${OB_TAN_HEADER}' is '${tan}', expected '${expectedTan}'.`);
  }
  if (options.expectedIssuer !== undefined && iss !== options.expectedIssuer) {
    throw invalid(`'${OB_ISS_HEADER}' is '${iss}', expected '${options.expectedIssuer}'.`);
  }
  const now = options.clock.nowSeconds();
  const tolerance = options.clockToleranceSeconds ?? DETACHED_JWS_DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const maxAge = options.maxAgeSeconds ?? DETACHED_JWS_DEFAULT_MAX_AGE_SECONDS;
  if (iat > now + tolerance) {
    throw invalid(`'${OB_IAT_HEADER}' is ${iat - now}s in the future.`);
  }
  if (now - iat > maxAge + tolerance) {
    throw invalid(`'${OB_IAT_HEADER}' is ${now - iat}s old; at most ${maxAge}s is accepted.`);
  }
  return { kid: header.kid, issuer: iss, trustAnchor: tan, issuedAt: iat };
}

function checkCrit(crit: unknown): void {
  if (!Array.isArray(crit)) throw invalid("The header has no 'crit' array.");
  const names = crit.filter((c): c is string => typeof c === 'string');
  const extra = names.filter((c) => !OB_CRIT_HEADERS.includes(c));
  const missing = OB_CRIT_HEADERS.filter((c) => !names.includes(c));
  if (names.length !== crit.length || extra.length > 0) {
    throw invalid(`'crit' lists members outside the OB profile: ${JSON.stringify(extra)}.`);
  }
  if (missing.length > 0) throw invalid(`'crit' does not list ${missing.join(', ')}.`);
  if (new Set(names).size !== names.length) throw invalid("'crit' lists a member twice.");
}

function decodeHeader(part: string): Header {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(base64url.decode(part))) as unknown;
  } catch {
    throw invalid('The protected header is not base64url-encoded JSON.');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw invalid('The protected header is not a JSON object.');
  }
  return header as Header;
}

async function resolve(
  resolveKey: DetachedJwsKeyResolver,
  kid: string,
): Promise<KeyObject | CryptoKey> {
  try {
    return await resolveKey(kid);
  } catch (e: unknown) {
    if (e instanceof JwksKeyNotFoundError) {
      throw invalid(`The signing key '${kid}' is not in the bank's JWKS.`, e);
    }
    throw e;
  }
}

function invalid(detail: string, cause?: unknown): DetachedJwsError {
  return new DetachedJwsError('jws/invalid', detail, cause);
}
