import 'reflect-metadata'; // @peculiar/x509 uses tsyringe, which needs the polyfill loaded first
import { createHash, createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import { X509Certificate as PeculiarCertificate } from '@peculiar/x509';
import { DomainError } from '@obc/common';
import { encodedSubject, type EncodedSubjectAttribute } from './subject-der';

/** organizationIdentifier (ETSI / eIDAS), the attribute banks disagree on how to spell. */
export const ORGANIZATION_IDENTIFIER_OID = '2.5.4.97';

/**
 * How `organizationIdentifier` is written in a subject DN: dotted OID with the value as text,
 * dotted OID with the value as `#` and the hex of its encoding (RFC 4514 section 2.4), or its name.
 */
export type SubjectDnFormat = 'oid' | 'oid-hex' | 'string';

export interface CertificateFacts {
  subjectDn: string;
  organisationId: string | null;
  notAfter: Date;
  fingerprint: string;
}

export function invalidPemError(detail: string): DomainError {
  return new DomainError(
    'certificate/invalid-pem',
    'validation',
    'The certificate PEM cannot be parsed',
    { detail },
  );
}

export function parseCertificate(pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw invalidPemError('certificatePem is not a PEM-encoded X.509 certificate.');
  }
}

export function parsePrivateKey(pem: string, code: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new DomainError(code, 'validation', 'The private key cannot be parsed', {
      detail: 'The secret referenced by privateKey is not a PEM-encoded private key.',
    });
  }
}

/** Relative distinguished names in certificate (ASN.1) order, values unescaped. */
function subjectRdns(pem: string): Array<Array<[string, string]>> {
  const cert = new PeculiarCertificate(pem);
  return cert.subjectName
    .toJSON()
    .map((rdn) =>
      Object.entries(rdn).flatMap(([type, values]) =>
        values.map((v): [string, string] => [type, v]),
      ),
    );
}

/** RFC 4514 section 2.4 escaping of an attribute value. */
export function escapeDnValue(value: string): string {
  let out = value.replace(/[\\"+,;<>]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/**
 * The subject as an RFC 4514 string (last RDN first, as `tls_client_auth_subject_dn` expects).
 * RFC 4514 spells organizationIdentifier as its dotted OID; some banks want the name instead
 * ('string'), others the dotted OID with the value as `#` and the hex of its BER encoding
 * ('oid-hex': the value's tag, length and content exactly as encoded in the certificate, so a
 * PrintableString stays 0x13 and a UTF8String 0x0C). Other attributes are written as text.
 */
export function formatSubjectDn(pem: string, format: SubjectDnFormat = 'oid'): string {
  const rdns = subjectRdns(pem);
  const encoded = format === 'oid-hex' ? encodedSubjectOf(pem, rdns.length) : undefined;
  return rdns
    .map((rdn, index) => {
      const orgIdValues = (encoded?.[index] ?? [])
        .filter((attribute) => attribute.oid === ORGANIZATION_IDENTIFIER_OID)
        .map((attribute) => attribute.valueDer);
      return rdn
        .map(([type, value]) => {
          if (type !== ORGANIZATION_IDENTIFIER_OID || format === 'oid')
            return `${type}=${escapeDnValue(value)}`;
          if (format === 'string') return `organizationIdentifier=${escapeDnValue(value)}`;
          const der = orgIdValues.shift();
          if (!der) throw invalidPemError('The certificate subject cannot be read as DER.');
          return `${type}=#${der.toString('hex').toUpperCase()}`;
        })
        .join('+');
    })
    .reverse()
    .join(',');
}

/** The subject as encoded, checked to have the RDNs the decoded subject has. */
function encodedSubjectOf(pem: string, rdnCount: number): EncodedSubjectAttribute[][] {
  let encoded: EncodedSubjectAttribute[][];
  try {
    encoded = encodedSubject(pem);
  } catch {
    throw invalidPemError('The certificate subject cannot be read as DER.');
  }
  if (encoded.length !== rdnCount)
    throw invalidPemError('The certificate subject cannot be read as DER.');
  return encoded;
}

/** The OB organisation id: the OU of OB-issued certificates, else the organizationIdentifier. */
export function organisationIdOf(pem: string): string | null {
  const attributes = subjectRdns(pem).flat();
  const ou = attributes.find(([type]) => type === 'OU')?.[1];
  const orgIdentifier = attributes.find(([type]) => type === ORGANIZATION_IDENTIFIER_OID)?.[1];
  return ou ?? orgIdentifier ?? null;
}

export function certificateFacts(cert: X509Certificate, pem: string): CertificateFacts {
  return {
    subjectDn: formatSubjectDn(pem, 'oid'),
    organisationId: organisationIdOf(pem),
    notAfter: new Date(cert.validTo),
    fingerprint: createHash('sha256').update(cert.raw).digest('hex'),
  };
}

export function assertNotExpired(cert: X509Certificate, now: Date): void {
  if (new Date(cert.validTo).getTime() <= now.getTime()) {
    throw new DomainError('certificate/expired', 'validation', 'The certificate has expired', {
      detail: `The certificate expired at ${new Date(cert.validTo).toISOString()}.`,
    });
  }
}

/** The private key must be the one the certificate's public key belongs to. */
export function keyMatchesCertificate(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false;
  }
}
