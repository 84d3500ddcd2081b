import { createHash } from 'node:crypto';

/**
 * OIDC c_hash / s_hash / at_hash for PS256: the left-most half of the SHA-256 of the value's
 * ASCII bytes, base64url.
 */
export function oidcHalfHash(value: string): string {
  const digest = createHash('sha256').update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
