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

  it('decodes #hex BER values', () => {
    const hex = Buffer.concat([Buffer.from([0x0c, 3]), Buffer.from('abc')]).toString('hex');
    expect(parseRfc4514(`2.5.4.97=#${hex}`)).toEqual([{ oid: '2.5.4.97', value: 'abc' }]);
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
