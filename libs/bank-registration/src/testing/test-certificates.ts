import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** Test-only: self-signed certificates with a chosen subject and validity, made in memory. */
export interface TestCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

type KeyPair = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'];
type X509Crypto = Parameters<typeof x509.cryptoProvider.set>[0];
const ALG: webcrypto.EcKeyGenParams & webcrypto.EcdsaParams = {
  name: 'ECDSA',
  namedCurve: 'P-256',
  hash: 'SHA-256',
};
x509.cryptoProvider.set(webcrypto as unknown as X509Crypto);

/** `subject`: an RFC 4514-ish string, or an x509.Name when the value encodings matter. */
export async function makeCertificate(
  subject:
    | string
    | x509.Name = 'C=GB, O=OpenBanking, OU=0015800001041RbAAI, 2.5.4.97=PSDGB-OB-Unknown0015800001041RB, CN=Tpp Transport',
  validity: { notBefore: Date; notAfter: Date } = {
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
  },
): Promise<TestCertificate> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, [
    'sign',
    'verify',
  ])) as unknown as KeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: subject,
    keys,
    signingAlgorithm: ALG,
    ...validity,
  });
  const der = Buffer.from(
    await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey),
  );
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return {
    certificatePem: cert.toString('pem'),
    privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`,
  };
}
