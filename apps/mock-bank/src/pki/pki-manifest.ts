/** File names (relative to the PKI directory) written by `generateTestPki`. */
export interface PkiFiles {
  ca: string;
  caKey: string;
  bankServer: string;
  bankServerKey: string;
  tppTransport: string;
  tppTransportKey: string;
  tppSigning: string;
  tppSigningKey: string;
  directorySigningKey: string;
  otherCa: string;
  otherCaKey: string;
  untrustedTransport: string;
  untrustedTransportKey: string;
}

/** `pki.json`: what the demo, the tests and the mock bank need to know about the test PKI. */
export interface PkiManifest {
  organisationId: string;
  organisationName: string;
  softwareId: string;
  /** `kid` of the TPP signing key (OBSeal) as published in its JWKS. */
  signingKid: string;
  /** `kid` of the mock directory's SSA signing key. */
  directoryKid: string;
  /** Subject DN of the TPP transport certificate, RFC 4514 order, organizationIdentifier as `2.5.4.97=`. */
  transportSubjectDn: string;
  files: PkiFiles;
}

export const PKI_MANIFEST_FILE = 'pki.json';

export const PKI_FILES: PkiFiles = {
  ca: 'ca.pem',
  caKey: 'ca.key.pem',
  bankServer: 'bank-server.pem',
  bankServerKey: 'bank-server.key.pem',
  tppTransport: 'tpp-transport.pem',
  tppTransportKey: 'tpp-transport.key.pem',
  tppSigning: 'tpp-signing.pem',
  tppSigningKey: 'tpp-signing.key.pem',
  directorySigningKey: 'directory-signing.key.pem',
  otherCa: 'other-ca.pem',
  otherCaKey: 'other-ca.key.pem',
  untrustedTransport: 'untrusted-transport.pem',
  untrustedTransportKey: 'untrusted-transport.key.pem',
};
