import { createHash, hash, timingSafeEqual } from 'node:crypto';

/**
 * Holds only SHA-256 digests of the configured API keys and compares in constant time, so a key
 * never sits in memory longer than start-up and timing does not leak which bytes matched.
 */
export class ApiKeyVerifier {
  private readonly digests: { id: string; digest: Buffer }[];

  constructor(keys: readonly string[]) {
    if (keys.length === 0) {
      throw new Error(
        'API_KEYS: at least one API key is required; the API is not served without one.',
      );
    }
    this.digests = keys.map((key) => ({
      id: ApiKeyVerifier.keyId(key),
      digest: ApiKeyVerifier.digest(key),
    }));
  }

  /** A stable, non-secret id for a key: `key-` and the first 12 hex digits of its SHA-256. */
  static keyId(key: string): string {
    return 'key-' + createHash('sha256').update(key).digest('hex').slice(0, 12);
  }

  private static digest(key: string): Buffer {
    // One-shot hashing: the key is checked on every request (the fast read path included).
    return hash('sha256', key, 'buffer');
  }

  identify(presented: string): string | undefined {
    const candidate = ApiKeyVerifier.digest(presented);
    let found: string | undefined;
    for (const { id, digest } of this.digests) {
      // Compare against every key (no early exit) to keep timing independent of position.
      if (timingSafeEqual(candidate, digest) && found === undefined) found = id;
    }
    return found;
  }
}
