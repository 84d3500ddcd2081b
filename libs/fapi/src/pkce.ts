import { createHash } from 'node:crypto';
import { RandomSource } from '@obc/common';

export interface PkcePair {
  /** Kept by the connector (encrypted) and sent with the code at the token endpoint. */
  verifier: string;
  /** base64url(SHA-256(verifier)): sent in the authorisation request (method S256). */
  challenge: string;
}

export const PKCE_METHOD = 'S256';

/** RFC 7636 S256 challenge of a verifier. */
export function pkceChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * A PKCE pair. 32 random bytes give a 43-character base64url verifier: the RFC's minimum
 * length, and base64url characters are all in its unreserved set.
 */
export function createPkcePair(random: RandomSource): PkcePair {
  const verifier = random.token(32);
  return { verifier, challenge: pkceChallengeOf(verifier) };
}
