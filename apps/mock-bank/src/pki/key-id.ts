import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of an RSA public key: a stable, derivable `kid`. */
export function rsaThumbprintKid(key: KeyObject | string): string {
  const publicKey = typeof key !== 'string' && key.type === 'public' ? key : createPublicKey(key);
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'RSA' || !jwk.e || !jwk.n) throw new Error('expected an RSA key');
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}
