import 'reflect-metadata'; // @peculiar/x509 (through tsyringe) needs the polyfill loaded first
import * as x509 from '@peculiar/x509';
import { KeyObject, webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rsaThumbprintKid } from './key-id';
import { PKI_FILES, PKI_MANIFEST_FILE, type PkiManifest } from './pki-manifest';
import { randomOrganisationId, randomSoftwareId } from './random-ids';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface GenerateTestPkiOptions {
  organisationId?: string;
  softwareId?: string;
  organisationName?: string;
  /** Certificate validity; defaults to 365 days. */
  validityDays?: number;
}

const RSA_ALG = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

/** OID of organizationIdentifier (X.520), carrying `PSDGB-OB-<org id>` in OBWAC/OBSeal certificates. */
export const ORGANIZATION_IDENTIFIER_OID = '2.5.4.97';
const OID = { C: '2.5.4.6', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3' } as const;
const CLIENT_AUTH_EKU = '1.3.6.1.5.5.7.3.2';
const SERVER_AUTH_EKU = '1.3.6.1.5.5.7.3.1';

interface Issued {
  cert: x509.X509Certificate;
  keys: webcrypto.CryptoKeyPair;
}

/**
 * Writes a throw-away PKI for the mock bank, the demo and the tests into `outDir`: a test CA,
 * the bank's server certificate, the TPP's transport (OBWAC-like) and signing (OBSeal-like)
 * certificates, the mock directory's signing key, and a transport certificate from another CA
 * for negative tests. Nothing here is secret beyond the test run; never commit the output.
 */
export async function generateTestPki(
  outDir: string,
  opts: GenerateTestPkiOptions = {},
): Promise<PkiManifest> {
  const organisationId = opts.organisationId ?? randomOrganisationId();
  const softwareId = opts.softwareId ?? randomSoftwareId();
  const organisationName = opts.organisationName ?? 'OBC Test TPP';
  const validity = {
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + (opts.validityDays ?? 365) * 86_400_000),
  };

  const ca = await createCa('OBC Test Root CA', validity);
  const otherCa = await createCa('OBC Untrusted Test CA', validity);
  const bankServer = await issue(ca, new x509.Name([{ [OID.CN]: ['localhost'] }]), validity, [
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension([SERVER_AUTH_EKU]),
    new x509.SubjectAlternativeNameExtension([
      { type: 'dns', value: 'localhost' },
      { type: 'ip', value: '127.0.0.1' },
    ]),
  ]);
  const tppName = tppSubject(organisationName, organisationId, softwareId);
  const transportExtensions = [
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension([CLIENT_AUTH_EKU]),
  ];
  const tppTransport = await issue(ca, tppName, validity, transportExtensions);
  const tppSigning = await issue(ca, tppName, validity, [
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
      true,
    ),
  ]);
  const untrustedTransport = await issue(otherCa, tppName, validity, transportExtensions);
  const directoryKeys = await generateRsaKeys();

  await mkdir(outDir, { recursive: true });
  const f = PKI_FILES;
  await writeCert(outDir, f.ca, ca);
  await writeKey(outDir, f.caKey, ca.keys);
  await writeCert(outDir, f.bankServer, bankServer);
  await writeKey(outDir, f.bankServerKey, bankServer.keys);
  await writeCert(outDir, f.tppTransport, tppTransport);
  await writeKey(outDir, f.tppTransportKey, tppTransport.keys);
  await writeCert(outDir, f.tppSigning, tppSigning);
  await writeKey(outDir, f.tppSigningKey, tppSigning.keys);
  await writeKey(outDir, f.directorySigningKey, directoryKeys);
  await writeCert(outDir, f.otherCa, otherCa);
  await writeKey(outDir, f.otherCaKey, otherCa.keys);
  await writeCert(outDir, f.untrustedTransport, untrustedTransport);
  await writeKey(outDir, f.untrustedTransportKey, untrustedTransport.keys);

  const manifest: PkiManifest = {
    organisationId,
    organisationName,
    softwareId,
    signingKid: rsaThumbprintKid(KeyObject.from(tppSigning.keys.publicKey)),
    directoryKid: rsaThumbprintKid(KeyObject.from(directoryKeys.publicKey)),
    transportSubjectDn: rfc4514(tppName),
    files: { ...PKI_FILES },
  };
  await writeFile(join(outDir, PKI_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** ASN.1 order C, O, organizationIdentifier, OU, CN (as in OB-issued certificates). */
function tppSubject(
  organisationName: string,
  organisationId: string,
  softwareId: string,
): x509.Name {
  return new x509.Name([
    { [OID.C]: ['GB'] },
    { [OID.O]: [organisationName] },
    { [ORGANIZATION_IDENTIFIER_OID]: [`PSDGB-OB-${organisationId}`] },
    { [OID.OU]: [organisationId] },
    { [OID.CN]: [softwareId] },
  ]);
}

/** RFC 4514 string: RDNs in reverse ASN.1 order; unknown types as dotted OIDs. */
function rfc4514(name: x509.Name): string {
  return name
    .toJSON()
    .map((rdn) =>
      Object.entries(rdn)
        .map(([type, values]) => values.map((v) => `${type}=${escapeDnValue(v)}`).join('+'))
        .join('+'),
    )
    .reverse()
    .join(',');
}

function escapeDnValue(value: string): string {
  return value
    .replace(/([,+"\\<>;=])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}

async function generateRsaKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(RSA_ALG, true, [
    'sign',
    'verify',
  ]) as Promise<webcrypto.CryptoKeyPair>;
}

async function createCa(
  commonName: string,
  validity: { notBefore: Date; notAfter: Date },
): Promise<Issued> {
  const keys = await generateRsaKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: new x509.Name([
      { [OID.C]: ['GB'] },
      { [OID.O]: ['OBC Test'] },
      { [OID.CN]: [commonName] },
    ]),
    ...validity,
    signingAlgorithm: RSA_ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

async function issue(
  issuer: Issued,
  subject: x509.Name,
  validity: { notBefore: Date; notAfter: Date },
  extensions: x509.Extension[],
): Promise<Issued> {
  const keys = await generateRsaKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject,
    issuer: issuer.cert.subjectName,
    ...validity,
    signingAlgorithm: RSA_ALG,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      ...extensions,
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.cert),
    ],
  });
  return { cert, keys };
}

function randomSerial(): string {
  // Positive 16-byte serial: clear the top bit so DER does not read it as negative.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0] & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

async function writeCert(dir: string, file: string, issued: Issued): Promise<void> {
  await writeFile(join(dir, file), `${issued.cert.toString('pem')}\n`);
}

async function writeKey(dir: string, file: string, keys: webcrypto.CryptoKeyPair): Promise<void> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const pem = `-----BEGIN PRIVATE KEY-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
  await writeFile(join(dir, file), pem, { mode: 0o600 });
}
