import { createPrivateKey } from 'node:crypto';
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
