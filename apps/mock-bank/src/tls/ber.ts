/**
 * The little ASN.1 the mock bank reads itself: TLVs (definite lengths only), the subject of a
 * certificate as encoded, and string values given as RFC 4514 `#hex` (the BER encoding of the
 * value). The mock bank imports nothing from the connector's libs, so this is its own.
 */

export interface Tlv {
  tag: number;
  /** Offset of the tag octet. */
  offset: number;
  /** Offset of the content. */
  start: number;
  /** Offset just past the content. */
  end: number;
}

export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv {
  if (offset + 2 > limit) throw new Error('truncated BER');
  const tag = bytes[offset];
  if ((tag & 0x1f) === 0x1f) throw new Error('multi-octet BER tags are not supported here');
  const first = bytes[offset + 1];
  let start = offset + 2;
  let length = first;
  if (first === 0x80) throw new Error('indefinite BER lengths are not supported here');
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n > 4 || start + n > limit) throw new Error('bad BER length');
    length = 0;
    for (let k = 0; k < n; k += 1) length = length * 256 + bytes[start + k];
    start += n;
  }
  const end = start + length;
  if (end > limit) throw new Error('truncated BER');
  return { tag, offset, start, end };
}

export function childrenOf(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let at = parent.start;
  while (at < parent.end) {
    const child = readTlv(bytes, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

export function oidString(content: Uint8Array): string {
  const arcs: number[] = [];
  let arc = 0;
  content.forEach((byte) => {
    arc = arc * 128 + (byte & 0x7f);
    if (byte & 0x80) return;
    if (arcs.length) arcs.push(arc);
    else if (arc < 80) arcs.push(Math.floor(arc / 40), arc % 40);
    else arcs.push(2, arc - 80);
    arc = 0;
  });
  return arcs.join('.');
}

/** A subject attribute as the certificate encodes it: dotted type, value TLV bytes. */
export interface EncodedAttribute {
  oid: string;
  encoded: Buffer;
}

/** The subject of a DER certificate: RDNs in ASN.1 order, each its attributes as encoded. */
export function encodedSubjectOf(certificateDer: Uint8Array): EncodedAttribute[][] {
  const der = Buffer.from(certificateDer);
  const [tbs] = childrenOf(der, readTlv(der, 0));
  const fields = childrenOf(der, tbs);
  // [0] version (optional), serialNumber, signature, issuer, validity, subject
  const subject = fields[(fields[0].tag === 0xa0 ? 1 : 0) + 4];
  if (subject?.tag !== 0x30) throw new Error('no subject in the certificate');
  return childrenOf(der, subject).map((rdn) =>
    childrenOf(der, rdn).map((atv) => {
      const [type, value] = childrenOf(der, atv);
      if (type?.tag !== 0x06 || !value) throw new Error('malformed subject attribute');
      return {
        oid: oidString(der.subarray(type.start, type.end)),
        encoded: Buffer.from(der.subarray(value.offset, value.end)),
      };
    }),
  );
}

/** ASN.1 string types a DirectoryString (or IA5String) value may have, and how to read them. */
const STRING_TYPES: Record<number, (content: Buffer) => string> = {
  0x0c: (c) => c.toString('utf8'), // UTF8String
  0x12: (c) => c.toString('latin1'), // NumericString
  0x13: (c) => c.toString('latin1'), // PrintableString
  0x14: (c) => c.toString('latin1'), // TeletexString (T.61; its Latin subset)
  0x16: (c) => c.toString('latin1'), // IA5String
  0x1a: (c) => c.toString('latin1'), // VisibleString
  0x1c: (c) => {
    // UniversalString: UCS-4 big-endian
    let out = '';
    for (let k = 0; k + 3 < c.length; k += 4) out += String.fromCodePoint(c.readUInt32BE(k));
    return out;
  },
  0x1e: (c) => Buffer.from(c).swap16().toString('utf16le'), // BMPString: UCS-2 big-endian
};

/**
 * An RFC 4514 `#hex` value (section 2.4: the BER encoding of the AttributeValue): exactly one
 * TLV of a string type, nothing after it. Returns its text and its bytes.
 */
export function decodeHexAttributeValue(hex: string): { value: string; encoded: Buffer } {
  if (!/^([0-9a-fA-F]{2})+$/.test(hex))
    throw new Error('malformed hex value in distinguished name');
  const encoded = Buffer.from(hex, 'hex');
  const tlv = readTlv(encoded, 0);
  if (tlv.end !== encoded.length)
    throw new Error('hex value in distinguished name has bytes after its encoding');
  const decode = STRING_TYPES[tlv.tag];
  if (!decode)
    throw new Error(
      `hex value in distinguished name is not a string type (tag 0x${tlv.tag.toString(16)})`,
    );
  const content = encoded.subarray(tlv.start, tlv.end);
  if (tlv.tag === 0x1e && content.length % 2) throw new Error('odd-length BMPString');
  if (tlv.tag === 0x1c && content.length % 4)
    throw new Error('UniversalString not in 4-octet units');
  return { value: decode(content), encoded };
}
