import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTestPki } from './generate-test-pki';
import { loadTestPki, type LoadedPki } from './load-test-pki';
import { rsaThumbprintKid } from './key-id';

describe('generateTestPki', () => {
  let dir: string;
  let pki: LoadedPki;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mock-bank-pki-'));
    await generateTestPki(dir, { organisationName: 'Acme, Payments Ltd' });
    pki = await loadTestPki(dir);
  }, 60_000);

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes ids in the OB directory formats', () => {
    expect(pki.manifest.organisationId).toMatch(/^0015800001[0-9A-Za-z]{8}$/);
    expect(pki.manifest.softwareId).toMatch(/^[0-9A-Za-z]{22}$/);
  });

  it('chains the bank server and TPP certificates to the test CA, not to the other CA', () => {
    const ca = new X509Certificate(pki.pem.ca);
    const otherCa = new X509Certificate(pki.pem.otherCa);
    expect(ca.verify(ca.publicKey)).toBe(true);
    for (const pem of [pki.pem.bankServer, pki.pem.tppTransport, pki.pem.tppSigning]) {
      const cert = new X509Certificate(pem);
      expect(cert.checkIssued(ca)).toBe(true);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.verify(otherCa.publicKey)).toBe(false);
    }
    const untrusted = new X509Certificate(pki.pem.untrustedTransport);
    expect(untrusted.verify(otherCa.publicKey)).toBe(true);
    expect(untrusted.verify(ca.publicKey)).toBe(false);
  });

  it('gives the bank server localhost and 127.0.0.1 as subject alternative names', () => {
    const server = new X509Certificate(pki.pem.bankServer);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });

  it('puts organizationIdentifier and the OB ids in the transport subject, with clientAuth', () => {
    const cert = new X509Certificate(pki.pem.tppTransport);
    const { organisationId, softwareId } = pki.manifest;
    expect(cert.subject.split('\n')).toEqual([
      'C=GB',
      'O=Acme\\, Payments Ltd',
      `organizationIdentifier=PSDGB-OB-${organisationId}`,
      `OU=${organisationId}`,
      `CN=${softwareId}`,
    ]);
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.2');
    expect(pki.manifest.transportSubjectDn).toBe(
      `CN=${softwareId},OU=${organisationId},2.5.4.97=PSDGB-OB-${organisationId},O=Acme\\, Payments Ltd,C=GB`,
    );
  });

  it('writes PKCS#8 private keys matching their certificates and the manifest kids', async () => {
    expect(pki.pem.tppSigningKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const key = createPrivateKey(pki.pem.tppSigningKey);
    const fromKey = createPublicKey(key).export({ format: 'jwk' });
    expect(new X509Certificate(pki.pem.tppSigning).publicKey.export({ format: 'jwk' })).toEqual(
      fromKey,
    );
    expect(rsaThumbprintKid(key)).toBe(pki.manifest.signingKid);
    expect(rsaThumbprintKid(pki.pem.directorySigningKey)).toBe(pki.manifest.directoryKid);
    expect((await stat(join(dir, pki.manifest.files.tppSigningKey))).mode & 0o077).toBe(0);
  });

  it('fails to load a directory without a manifest, naming the generator', async () => {
    await expect(loadTestPki(join(dir, 'nope'))).rejects.toThrow(/generate-test-pki/);
  });
});
