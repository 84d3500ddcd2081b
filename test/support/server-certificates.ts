import 'reflect-metadata'; // @peculiar/x509 (through tsyringe) needs the polyfill loaded first
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { LoadedPki } from '../../apps/mock-bank/src/pki';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

// The DOM crypto types x509 is declared with are Node's webcrypto types under other names.
type CryptoKeyLike = Parameters<
  typeof x509.X509CertificateGenerator.createSelfSigned
>[0]['keys']['privateKey'];

const RSA_SIGN = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const EC = { name: 'ECDSA', namedCurve: 'P-256' };
const SERVER_AUTH_EKU = '1.3.6.1.5.5.7.3.1';

function derOf(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

/**
 * A TLS server certificate signed by the test PKI's (trusted) CA, for a host name of the
 * caller's choosing: a bank presenting it on 127.0.0.1 has a valid chain but the wrong name.
 */
export async function issueServerCertificate(
  pki: LoadedPki,
  hostName: string,
): Promise<{ certificatePem: string; privateKeyPem: string }> {
  const caKey = await webcrypto.subtle.importKey('pkcs8', derOf(pki.pem.caKey), RSA_SIGN, false, [
    'sign',
  ]);
  const ca = new x509.X509Certificate(pki.pem.ca);
  const keys = (await webcrypto.subtle.generateKey(EC, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const serial = Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)));
  serial[0] &= 0x7f;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial.toString('hex'),
    subject: `CN=${hostName}`,
    issuer: ca.subjectName,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: RSA_SIGN,
    publicKey: keys.publicKey as unknown as CryptoKeyLike,
    signingKey: caKey as unknown as CryptoKeyLike,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([SERVER_AUTH_EKU]),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: hostName }]),
    ],
  });
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return {
    certificatePem: `${cert.toString('pem')}\n`,
    privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${b64.replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`,
  };
}
