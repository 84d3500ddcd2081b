import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTestPki } from '../pki/generate-test-pki';
import { loadTestPki, type LoadedPki } from '../pki/load-test-pki';
import { certificateSubject, parseRfc4514, subjectDnMatches } from './subject-dn';

describe('parseRfc4514', () => {
  it('maps names and dotted OIDs to OIDs and unescapes values', () => {
    expect(
      parseRfc4514('CN=a\\,b,organizationIdentifier=PSDGB-OB-1, 2.5.4.97=x,OID.2.5.4.10=O\\2C Ltd'),
    ).toEqual([
      { oid: '2.5.4.3', value: 'a,b' },
      { oid: '2.5.4.97', value: 'PSDGB-OB-1' },
      { oid: '2.5.4.97', value: 'x' },
      { oid: '2.5.4.10', value: 'O, Ltd' },
    ]);
  });

  it('decodes #hex BER values by their string type and keeps their bytes', () => {
    const utf8 = Buffer.concat([Buffer.from([0x0c, 4]), Buffer.from('abé')]);
    const printable = Buffer.concat([Buffer.from([0x13, 3]), Buffer.from('abc')]);
    const bmp = Buffer.from([0x1e, 4, 0x00, 0x61, 0x20, 0xac]);
    expect(
      parseRfc4514(
        `2.5.4.97=#${utf8.toString('hex')},CN=#${printable.toString('hex').toUpperCase()}+O=#${bmp.toString('hex')}`,
      ),
    ).toEqual([
      { oid: '2.5.4.97', value: 'abé', encoded: utf8 },
      { oid: '2.5.4.3', value: 'abc', encoded: printable },
      { oid: '2.5.4.10', value: 'a€', encoded: bmp },
    ]);
  });

  it('decodes a long-form length and refuses hex that is not one string TLV', () => {
    const long = 'x'.repeat(200);
    const tlv = Buffer.concat([Buffer.from([0x13, 0x81, 200]), Buffer.from(long)]);
    expect(parseRfc4514(`2.5.4.97=#${tlv.toString('hex')}`)[0].value).toBe(long);
    for (const bad of [
      '13036162',
      '1302616263',
      '0201',
      '020101',
      '13',
      '1g',
      '1301',
      '0c0161ff',
    ]) {
      expect(() => parseRfc4514(`CN=#${bad}`)).toThrow();
    }
  });

  it('rejects unknown attribute names', () => {
    expect(() => parseRfc4514('FOO=bar')).toThrow(/unknown attribute type/);
  });
});

describe('subjectDnMatches', () => {
  let dir: string;
  let pki: LoadedPki;
  let cert: X509Certificate;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mock-bank-dn-'));
    await generateTestPki(dir, { organisationName: 'Acme, Payments Ltd' });
    pki = await loadTestPki(dir);
    cert = new X509Certificate(pki.pem.tppTransport);
  }, 60_000);

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads the certificate subject in RFC 4514 order', () => {
    expect(certificateSubject(cert).map((a) => a.oid)).toEqual([
      '2.5.4.3',
      '2.5.4.11',
      '2.5.4.97',
      '2.5.4.10',
      '2.5.4.6',
    ]);
  });

  it('matches the manifest DN with the OID or the name for organizationIdentifier', () => {
    const dn = pki.manifest.transportSubjectDn;
    expect(subjectDnMatches(dn, cert)).toBe(true);
    expect(subjectDnMatches(dn.replace('2.5.4.97=', 'organizationIdentifier='), cert)).toBe(true);
  });

  it("matches a #hex organizationIdentifier only when it is the certificate's encoding", () => {
    const orgId = `PSDGB-OB-${pki.manifest.organisationId}`;
    const printable = Buffer.concat([Buffer.from([0x13, orgId.length]), Buffer.from(orgId)]);
    const utf8 = Buffer.concat([Buffer.from([0x0c, orgId.length]), Buffer.from(orgId)]);
    const attribute = certificateSubject(cert).find((a) => a.oid === '2.5.4.97');
    expect(attribute?.encoded).toEqual(printable); // the test PKI's PrintableString, as encoded
    const dn = pki.manifest.transportSubjectDn;
    const withHex = (tlv: Buffer) =>
      dn.replace(/2\.5\.4\.97=[^,]+/, `2.5.4.97=#${tlv.toString('hex')}`);
    expect(subjectDnMatches(withHex(printable), cert)).toBe(true);
    expect(subjectDnMatches(withHex(utf8), cert)).toBe(false);
  });

  it('does not match ASN.1 order, a missing attribute or another value', () => {
    const dn = pki.manifest.transportSubjectDn;
    expect(subjectDnMatches(parseOrderReversed(dn), cert)).toBe(false);
    expect(subjectDnMatches(dn.replace(/,C=GB$/, ''), cert)).toBe(false);
    expect(subjectDnMatches(dn.replace('C=GB', 'C=FR'), cert)).toBe(false);
    expect(subjectDnMatches('not a dn', cert)).toBe(false);
  });
});

function parseOrderReversed(dn: string): string {
  return dn
    .split(/(?<!\\),/)
    .reverse()
    .join(',');
}
