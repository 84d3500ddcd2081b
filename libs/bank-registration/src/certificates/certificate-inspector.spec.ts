import 'reflect-metadata';
import { createPrivateKey } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { makeCertificate } from '../testing/test-certificates';
import {
  assertNotExpired,
  certificateFacts,
  escapeDnValue,
  formatSubjectDn,
  keyMatchesCertificate,
  organisationIdOf,
  parseCertificate,
} from './certificate-inspector';

describe('certificate inspector', () => {
  it('formats the subject as RFC 4514, last RDN first, organizationIdentifier per format', async () => {
    const { certificatePem } = await makeCertificate();
    expect(formatSubjectDn(certificatePem, 'oid')).toBe(
      'CN=Tpp Transport,2.5.4.97=PSDGB-OB-Unknown0015800001041RB,OU=0015800001041RbAAI,O=OpenBanking,C=GB',
    );
    expect(formatSubjectDn(certificatePem, 'string')).toBe(
      'CN=Tpp Transport,organizationIdentifier=PSDGB-OB-Unknown0015800001041RB,OU=0015800001041RbAAI,O=OpenBanking,C=GB',
    );
  });

  it("oid-hex writes organizationIdentifier as # and the hex of the certificate's PrintableString TLV", async () => {
    const { certificatePem } = await makeCertificate();
    const orgId = 'PSDGB-OB-Unknown0015800001041RB';
    // PrintableString (0x13), length 31 (0x1F), the ASCII bytes: the value as the certificate has it
    const tlv = Buffer.concat([Buffer.from([0x13, orgId.length]), Buffer.from(orgId, 'ascii')]);
    expect(formatSubjectDn(certificatePem, 'oid-hex')).toBe(
      `CN=Tpp Transport,2.5.4.97=#${tlv.toString('hex').toUpperCase()},OU=0015800001041RbAAI,O=OpenBanking,C=GB`,
    );
    expect(formatSubjectDn(certificatePem, 'oid-hex')).toContain('2.5.4.97=#131F505344');
  });

  it('oid-hex keeps the tag the certificate uses (UTF8String 0x0C), long lengths and escaping elsewhere', async () => {
    const orgId = `PSDGB-OB-${'x'.repeat(130)}`; // > 127 bytes: two-octet length (0x81 0x8B)
    const { certificatePem } = await makeCertificate(
      new x509.Name([
        { '2.5.4.6': ['GB'] },
        { '2.5.4.10': ['Acme, Payments Ltd'] },
        { '2.5.4.97': [{ utf8String: orgId }] },
        { '2.5.4.3': ['Tpp+1'] },
      ]),
    );
    const tlv = Buffer.concat([Buffer.from([0x0c, 0x81, orgId.length]), Buffer.from(orgId)]);
    expect(formatSubjectDn(certificatePem, 'oid-hex')).toBe(
      `CN=Tpp\\+1,2.5.4.97=#${tlv.toString('hex').toUpperCase()},O=Acme\\, Payments Ltd,C=GB`,
    );
    // The other formats write the same value as text
    expect(formatSubjectDn(certificatePem, 'oid')).toBe(
      `CN=Tpp\\+1,2.5.4.97=${orgId},O=Acme\\, Payments Ltd,C=GB`,
    );
  });

  it('oid-hex writes a subject without organizationIdentifier as oid does', async () => {
    const { certificatePem } = await makeCertificate('C=GB, O=Acme, CN=x');
    expect(formatSubjectDn(certificatePem, 'oid-hex')).toBe('CN=x,O=Acme,C=GB');
  });

  it('escapes RFC 4514 special characters', () => {
    expect(escapeDnValue('a,b+c"d\\e<f>g;h')).toBe('a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h');
    expect(escapeDnValue('#lead')).toBe('\\#lead');
    expect(escapeDnValue(' x ')).toBe('\\ x\\ ');
  });

  it('takes the organisation id from OU, else organizationIdentifier, else none', async () => {
    expect(organisationIdOf((await makeCertificate()).certificatePem)).toBe('0015800001041RbAAI');
    expect(
      organisationIdOf(
        (await makeCertificate('C=GB, 2.5.4.97=PSDGB-FCA-123456, CN=x')).certificatePem,
      ),
    ).toBe('PSDGB-FCA-123456');
    expect(organisationIdOf((await makeCertificate('CN=plain')).certificatePem)).toBeNull();
  });

  it('computes notAfter and the sha256 fingerprint', async () => {
    const notAfter = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000);
    const { certificatePem } = await makeCertificate('CN=x', {
      notBefore: new Date(Date.now() - 1000),
      notAfter,
    });
    const cert = parseCertificate(certificatePem);
    const facts = certificateFacts(cert, certificatePem);
    expect(facts.notAfter.toISOString()).toBe(notAfter.toISOString());
    expect(facts.fingerprint).toBe(cert.fingerprint256.replace(/:/g, '').toLowerCase());
  });

  it('matches a key to its certificate only', async () => {
    const a = await makeCertificate('CN=a');
    const b = await makeCertificate('CN=b');
    const cert = parseCertificate(a.certificatePem);
    expect(keyMatchesCertificate(cert, createPrivateKey(a.privateKeyPem))).toBe(true);
    expect(keyMatchesCertificate(cert, createPrivateKey(b.privateKeyPem))).toBe(false);
  });

  it('rejects unparseable PEM and expired certificates with stable codes', async () => {
    expect(() =>
      parseCertificate('-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----'),
    ).toThrow(expect.objectContaining({ code: 'certificate/invalid-pem', kind: 'validation' }));
    const { certificatePem } = await makeCertificate('CN=old', {
      notBefore: new Date(Date.now() - 7_200_000),
      notAfter: new Date(Date.now() - 3_600_000),
    });
    expect(() => assertNotExpired(parseCertificate(certificatePem), new Date())).toThrow(
      expect.objectContaining({ code: 'certificate/expired' }),
    );
  });
});
