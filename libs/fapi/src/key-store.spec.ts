import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { DomainError } from '@obc/common';
import { createTestPki } from '../../bank-http/src/testing/test-pki';
import { computeCertificateThumbprint, KeyStore, publicKeyOf } from './key-store';

function rsaPem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

describe('KeyStore', () => {
  it('parses a PEM once and returns the same KeyObject after', () => {
    const store = new KeyStore();
    const pem = rsaPem();
    const k1 = store.privateKey(pem);
    expect(k1.type).toBe('private');
    expect(k1.asymmetricKeyType).toBe('rsa');
    expect(store.privateKey(pem)).toBe(k1);
    expect(store.privateKey(rsaPem())).not.toBe(k1);
    expect(store.size).toBe(2);
    expect(publicKeyOf(k1).type).toBe('public');
  });

  it('rejects a bad PEM with a domain error that quotes nothing of it', () => {
    const store = new KeyStore();
    const bad = '-----BEGIN PRIVATE KEY-----\nU0VDUkVUU0VDUkVU\n-----END PRIVATE KEY-----\n';
    let error: unknown;
    try {
      store.privateKey(bad);
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('key/invalid-private-key');
    expect(
      JSON.stringify({ m: (error as Error).message, d: (error as DomainError).detail }),
    ).not.toContain('U0VDUkVU');
  });
});

describe('computeCertificateThumbprint', () => {
  it('is the base64url SHA-256 of the DER', async () => {
    const pki = await createTestPki();
    const pem = pki.server.certificatePem;
    const expected = Buffer.from(
      new X509Certificate(pem).fingerprint256.replace(/:/g, ''),
      'hex',
    ).toString('base64url');
    expect(computeCertificateThumbprint(pem)).toBe(expected);
    expect(computeCertificateThumbprint(pki.caPem)).not.toBe(expected);
  });
});
