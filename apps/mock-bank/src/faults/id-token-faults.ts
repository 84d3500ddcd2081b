import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, base64url, decodeJwt, decodeProtectedHeader, importJWK, type JWK } from 'jose';

export const ID_TOKEN_FAULTS = [
  'wrong-nonce',
  'missing-nonce',
  'wrong-s-hash',
  'missing-s-hash',
  'wrong-c-hash',
  'missing-c-hash',
  'wrong-iss',
  'wrong-aud',
  'extra-untrusted-aud',
  'aud-array',
  'bad-signature',
  'alg-none',
  'alg-other',
  'expired',
  'iat-week-old',
  'wrong-intent-id',
  'no-at-hash',
] as const;
export type IdTokenFault = (typeof ID_TOKEN_FAULTS)[number];

const UNTRUSTED = 'https://evil.example';
type Claims = Record<string, unknown>;

function randomHash(): string {
  return randomBytes(16).toString('base64url');
}

/** The claim changes each fault makes; undefined values remove the claim. */
function faultyClaims(fault: IdTokenFault, claims: Claims, now: number): Claims {
  const clientId = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  switch (fault) {
    case 'wrong-nonce':
      return { nonce: `not-${String(claims.nonce ?? 'the-nonce')}` };
    case 'missing-nonce':
      return { nonce: undefined };
    case 'wrong-s-hash':
      return { s_hash: randomHash() };
    case 'missing-s-hash':
      return { s_hash: undefined };
    case 'wrong-c-hash':
      return { c_hash: randomHash() };
    case 'missing-c-hash':
      return { c_hash: undefined };
    case 'wrong-iss':
      return { iss: UNTRUSTED };
    case 'wrong-aud':
      return { aud: 'some-other-client' };
    case 'extra-untrusted-aud':
      return { aud: [clientId, UNTRUSTED] };
    case 'aud-array':
      return { aud: [clientId] };
    case 'expired':
      return { iat: now - 1200, exp: now - 600 };
    case 'iat-week-old':
      return { iat: now - 7 * 24 * 3600, auth_time: now - 7 * 24 * 3600 };
    case 'wrong-intent-id':
      return { openbanking_intent_id: `not-${String(claims.openbanking_intent_id ?? 'intent')}` };
    case 'no-at-hash':
      return { at_hash: undefined };
    default:
      return {};
  }
}

/**
 * Rewrites a bank-issued ID token the way a faulty (or merely unusual) bank would: claims are
 * changed and the token re-signed with the bank's own key, unless the fault is about the
 * signature or algorithm itself.
 */
export async function applyIdTokenFault(
  idToken: string,
  fault: IdTokenFault,
  signingJwk: JWK,
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  const header = decodeProtectedHeader(idToken);
  const claims: Claims = { ...decodeJwt(idToken) };
  for (const [name, value] of Object.entries(faultyClaims(fault, claims, now))) {
    if (value === undefined) delete claims[name];
    else claims[name] = value;
  }
  if (fault === 'bad-signature') {
    const [h, p, s] = idToken.split('.');
    const sig = Buffer.from(base64url.decode(s));
    for (let i = 0; i < 8; i += 1) sig[i] ^= 0xff;
    return `${h}.${p}.${sig.toString('base64url')}`;
  }
  const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  if (fault === 'alg-none') return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
  const { alg: _alg, ...keyMembers } = signingJwk;
  const alg = fault === 'alg-other' ? 'RS256' : 'PS256';
  const key = await importJWK({ ...keyMembers, alg }, alg);
  return new SignJWT(claims).setProtectedHeader({ ...header, alg }).sign(key);
}

/**
 * oidc-provider leaves at_hash out of token-endpoint ID tokens; UK banks include it, so the
 * mock bank adds it (left half of SHA-256 of the access token, PS256) and re-signs.
 */
export async function withAtHash(
  idToken: string,
  accessToken: string,
  signingJwk: JWK,
): Promise<string> {
  const header = decodeProtectedHeader(idToken);
  const claims = decodeJwt(idToken);
  if (claims.at_hash !== undefined) return idToken;
  const atHash = createHash('sha256')
    .update(accessToken)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
  const key = await importJWK(signingJwk, 'PS256');
  return new SignJWT({ ...claims, at_hash: atHash })
    .setProtectedHeader({ ...header, alg: 'PS256' })
    .sign(key);
}
