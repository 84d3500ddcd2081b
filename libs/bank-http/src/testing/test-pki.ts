import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/**
 * A throwaway PKI for tests that talk TLS to a server they start on 127.0.0.1: one CA, a server
 * certificate for localhost/127.0.0.1 and client certificates, all made in memory (P-256, fast).
 * Test-only: never imported by production code.
 */
export interface TestCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

export interface TestPki {
  caPem: string;
  server: TestCertificate;
  issueClient(commonName: string): Promise<TestCertificate>;
}

// The DOM crypto types x509 is declared with are Node's webcrypto types under other names.
type KeyPair = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'];
type X509Crypto = Parameters<typeof x509.cryptoProvider.set>[0];
const ALG: webcrypto.EcKeyGenParams & webcrypto.EcdsaParams = {
  name: 'ECDSA',
  namedCurve: 'P-256',
  hash: 'SHA-256',
};
x509.cryptoProvider.set(webcrypto as unknown as X509Crypto);

async function keyPair(): Promise<KeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as KeyPair;
}

async function pkcs8Pem(key: KeyPair['privateKey']): Promise<string> {
  const der = Buffer.from(
    await webcrypto.subtle.exportKey('pkcs8', key as unknown as webcrypto.CryptoKey),
  );
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 60_000), notAfter: new Date(now + 24 * 3600_000) };
}

/** Makes a CA whose certificates nobody else trusts, so trust must come from the test's bundle. */
export async function createTestPki(): Promise<TestPki> {
  const caKeys = await keyPair();
  const caName = `CN=obc test CA ${Math.random().toString(36).slice(2)}`;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: caName,
    keys: caKeys,
    signingAlgorithm: ALG,
    ...validity(),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
    ],
  });

  async function issue(
    commonName: string,
    usage: x509.ExtendedKeyUsage,
    extra: x509.Extension[] = [],
  ): Promise<TestCertificate> {
    const keys = await keyPair();
    const cert = await x509.X509CertificateGenerator.create({
      subject: `CN=${commonName}`,
      issuer: ca.subject,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: ALG,
      ...validity(),
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([usage]),
        ...extra,
      ],
    });
    return {
      certificatePem: cert.toString('pem') + '\n',
      privateKeyPem: await pkcs8Pem(keys.privateKey),
    };
  }

  const server = await issue('localhost', x509.ExtendedKeyUsage.serverAuth, [
    new x509.SubjectAlternativeNameExtension([
      { type: 'dns', value: 'localhost' },
      { type: 'ip', value: '127.0.0.1' },
    ]),
  ]);
  return {
    caPem: ca.toString('pem') + '\n',
    server,
    issueClient: (commonName) => issue(commonName, x509.ExtendedKeyUsage.clientAuth),
  };
}
