import { Injectable } from '@nestjs/common';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  KeyObject,
  X509Certificate,
} from 'node:crypto';
import { DomainError } from '@obc/common';

const MAX_KEYS = 256;

/**
 * Parses PEM private keys once and keeps the KeyObject, keyed by the SHA-256 of the PEM (never
 * the PEM itself). Bounded, least recently used out: keys rotate, the cache must not grow forever.
 */
@Injectable()
export class KeyStore {
  private readonly keys = new Map<string, KeyObject>();

  privateKey(pem: string): KeyObject {
    const id = createHash('sha256').update(pem).digest('hex');
    const cached = this.keys.get(id);
    if (cached) {
      this.keys.delete(id);
      this.keys.set(id, cached);
      return cached;
    }
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch (e: unknown) {
      // The parser's message can quote key bytes: keep only the fact.
      throw new DomainError(
        'key/invalid-private-key',
        'internal',
        'A private key could not be read',
        {
          detail: 'A configured private key is not a valid PEM private key (PKCS#8 or PKCS#1).',
          cause: e instanceof Error ? new Error(e.name) : undefined,
        },
      );
    }
    this.keys.set(id, key);
    if (this.keys.size > MAX_KEYS) {
      const oldest = this.keys.keys().next();
      if (!oldest.done) this.keys.delete(oldest.value);
    }
    return key;
  }

  get size(): number {
    return this.keys.size;
  }
}

/** The public half of a private key (for checks and JWKS). */
export function publicKeyOf(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey);
}

/** RFC 8705 `x5t#S256`: base64url SHA-256 of the certificate's DER, for certificate-bound tokens. */
export function computeCertificateThumbprint(certificatePem: string): string {
  const der = new X509Certificate(certificatePem).raw;
  return createHash('sha256').update(der).digest('base64url');
}
