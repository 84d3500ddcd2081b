import 'reflect-metadata'; // @peculiar/x509 (through tsyringe) needs the polyfill loaded first
import * as x509 from '@peculiar/x509';
import type { X509Certificate } from 'node:crypto';
import { decodeHexAttributeValue, encodedSubjectOf } from './ber';

/** One attribute of a distinguished name, the type always as a dotted OID. */
export interface DnAttribute {
  oid: string;
  value: string;
  /**
   * The value's BER encoding (tag, length, content): as the certificate encodes it, or as an
   * RFC 4514 `#hex` value gave it; absent for a value written as text.
   */
  encoded?: Buffer;
}

// Names banks and TPPs put in DN strings. organizationIdentifier has no RFC 4514 short name,
// so clients send it either as `2.5.4.97=` or as `organizationIdentifier=`: both mean the same.
const NAME_TO_OID: Record<string, string> = {
  cn: '2.5.4.3',
  c: '2.5.4.6',
  l: '2.5.4.7',
  st: '2.5.4.8',
  street: '2.5.4.9',
  o: '2.5.4.10',
  ou: '2.5.4.11',
  serialnumber: '2.5.4.5',
  organizationidentifier: '2.5.4.97',
  dc: '0.9.2342.19200300.100.1.25',
  uid: '0.9.2342.19200300.100.1.1',
  emailaddress: '1.2.840.113549.1.9.1',
  e: '1.2.840.113549.1.9.1',
};

function typeToOid(type: string): string {
  const trimmed = type.trim();
  const withoutPrefix = trimmed.replace(/^oid\./i, '');
  if (/^\d+(\.\d+)+$/.test(withoutPrefix)) return withoutPrefix;
  const oid = NAME_TO_OID[trimmed.toLowerCase()];
  if (!oid) throw new Error(`unknown attribute type "${trimmed}" in distinguished name`);
  return oid;
}

/** Parses an RFC 4514 string into attributes in string order (multi-valued RDNs flattened). */
export function parseRfc4514(dn: string): DnAttribute[] {
  const attributes: DnAttribute[] = [];
  let i = 0;
  while (i < dn.length) {
    const eq = dn.indexOf('=', i);
    if (eq < 0) throw new Error('malformed distinguished name: attribute without "="');
    const oid = typeToOid(dn.slice(i, eq));
    let value = '';
    let j = eq + 1;
    let encoded: Buffer | undefined;
    if (dn[j] === '#') {
      const end = findUnescaped(dn, j);
      ({ value, encoded } = decodeHexAttributeValue(dn.slice(j + 1, end).trim()));
      j = end;
    } else {
      while (j < dn.length && dn[j] !== ',' && dn[j] !== '+' && dn[j] !== ';') {
        if (dn[j] === '\\') {
          const hex = dn.slice(j + 1, j + 3);
          if (/^[0-9a-fA-F]{2}$/.test(hex)) {
            // Hex pairs may encode multi-byte UTF-8: collect consecutive pairs before decoding.
            const bytes: number[] = [];
            while (dn[j] === '\\' && /^[0-9a-fA-F]{2}$/.test(dn.slice(j + 1, j + 3))) {
              bytes.push(parseInt(dn.slice(j + 1, j + 3), 16));
              j += 3;
            }
            value += Buffer.from(bytes).toString('utf8');
            continue;
          }
          value += dn[j + 1] ?? '';
          j += 2;
          continue;
        }
        value += dn[j];
        j += 1;
      }
      value = value.trim();
    }
    attributes.push(encoded ? { oid, value, encoded } : { oid, value });
    i = j + 1;
    while (dn[i] === ' ') i += 1;
  }
  return attributes;
}

function findUnescaped(dn: string, from: number): number {
  const rest = dn.slice(from).search(/[,+;]/);
  return rest < 0 ? dn.length : from + rest;
}

/**
 * The certificate subject as attributes in RFC 4514 order (reverse of the ASN.1 sequence), each
 * with its value's encoding as in the certificate.
 */
export function certificateSubject(cert: X509Certificate): DnAttribute[] {
  const name = new x509.X509Certificate(cert.raw).subjectName;
  const rdns = name.toJSON();
  const encodedRdns = encodedSubjectOf(cert.raw);
  if (encodedRdns.length !== rdns.length) throw new Error('certificate subject read two ways');
  const attributes: DnAttribute[] = [];
  for (let k = rdns.length - 1; k >= 0; k -= 1) {
    const encodedAttributes = [...encodedRdns[k]];
    for (const [type, values] of Object.entries(rdns[k])) {
      const oid = typeToOid(type);
      for (const value of values) {
        const at = encodedAttributes.findIndex((a) => a.oid === oid);
        if (at < 0) throw new Error('certificate subject read two ways');
        const [{ encoded }] = encodedAttributes.splice(at, 1);
        attributes.push({ oid, value, encoded });
      }
    }
  }
  return attributes;
}

/**
 * Whether a registered `tls_client_auth_subject_dn` names the presented certificate. The order is
 * RFC 4514's (most specific first) and is significant: a DN in ASN.1 order does not match, which
 * is the encoding mistake this mock bank should surface rather than forgive. A value given as
 * `#hex` claims to be the value's encoding: it must be the certificate's encoding byte for byte
 * (a UTF8String where the certificate has a PrintableString does not match).
 */
export function subjectDnMatches(expectedDn: string, cert: X509Certificate): boolean {
  let expected: DnAttribute[];
  try {
    expected = parseRfc4514(expectedDn);
  } catch {
    return false;
  }
  const actual = certificateSubject(cert);
  return (
    expected.length === actual.length &&
    expected.every(
      (a, k) =>
        a.oid === actual[k].oid &&
        a.value === actual[k].value &&
        (a.encoded === undefined || a.encoded.equals(actual[k].encoded ?? Buffer.alloc(0))),
    )
  );
}
