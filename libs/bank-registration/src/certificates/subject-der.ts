import { X509Certificate } from 'node:crypto';

/**
 * Just enough DER to reach a certificate's subject attributes as encoded: the attribute value
 * bytes (tag, length and content) exactly as they are in the certificate, which the RFC 4514
 * `#hex` form of a value has to reproduce. Text values are decoded elsewhere (@peculiar/x509).
 */

/** One attribute of the subject: the type as a dotted OID, the value as its DER TLV. */
export interface EncodedSubjectAttribute {
  oid: string;
  valueDer: Buffer;
}

interface Tlv {
  tag: number;
  /** Offset of the tag octet. */
  offset: number;
  /** Offset of the content. */
  start: number;
  /** Offset just past the content. */
  end: number;
}

function readTlv(der: Buffer, offset: number, limit: number): Tlv {
  if (offset + 2 > limit) throw new Error('truncated DER');
  const tag = der[offset];
  if ((tag & 0x1f) === 0x1f) throw new Error('high tag numbers are not expected in a certificate');
  let length = der[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) throw new Error('bad DER length');
    length = 0;
    for (let k = 0; k < n; k += 1) length = length * 256 + der[start + k];
    start += n;
  }
  const end = start + length;
  if (end > limit) throw new Error('truncated DER');
  return { tag, offset, start, end };
}

function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end;) {
    const child = readTlv(der, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

function decodeOid(content: Buffer): string {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (arcs.length > 0) arcs.push(value);
      else if (value < 80) arcs.push(Math.floor(value / 40), value % 40);
      else arcs.push(2, value - 80);
      value = 0;
    }
  }
  return arcs.join('.');
}

const SEQUENCE = 0x30;
const SET = 0x31;
const OBJECT_IDENTIFIER = 0x06;
const EXPLICIT_VERSION = 0xa0;

/**
 * The subject's relative distinguished names in certificate (ASN.1) order, each a list of its
 * attributes in encoded order.
 */
export function encodedSubject(pem: string): EncodedSubjectAttribute[][] {
  const der = new X509Certificate(pem).raw;
  const certificate = readTlv(der, 0, der.length);
  if (certificate.tag !== SEQUENCE) throw new Error('a certificate is a SEQUENCE');
  const [tbs] = children(der, certificate);
  if (tbs?.tag !== SEQUENCE) throw new Error('tbsCertificate is a SEQUENCE');
  const fields = children(der, tbs);
  // version [0] (optional), serialNumber, signature, issuer, validity, subject
  const subject = fields[(fields[0]?.tag === EXPLICIT_VERSION ? 1 : 0) + 4];
  if (subject?.tag !== SEQUENCE) throw new Error('subject is a SEQUENCE');
  return children(der, subject).map((rdn) => {
    if (rdn.tag !== SET) throw new Error('a relative distinguished name is a SET');
    return children(der, rdn).map((attribute) => {
      const [type, value] = children(der, attribute);
      if (attribute.tag !== SEQUENCE || type?.tag !== OBJECT_IDENTIFIER || !value)
        throw new Error('an attribute is a SEQUENCE of type and value');
      return {
        oid: decodeOid(der.subarray(type.start, type.end)),
        valueDer: Buffer.from(der.subarray(value.offset, value.end)),
      };
    });
  });
}
