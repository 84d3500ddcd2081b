import { X509Certificate, type JsonWebKey } from 'node:crypto';
import type { LoadedPki } from './load-test-pki';

export interface PublicJwk extends JsonWebKey {
  kid: string;
  use?: string;
  alg?: string;
  x5c?: string[];
}

export interface PublicJwks {
  keys: PublicJwk[];
}

/** The TPP's public signing JWKS (what the OB directory publishes at `software_jwks_endpoint`). */
export function tppSigningJwks(pki: LoadedPki): PublicJwks {
  const cert = new X509Certificate(pki.pem.tppSigning);
  const jwk = cert.publicKey.export({ format: 'jwk' });
  return {
    keys: [
      {
        kty: jwk.kty,
        n: jwk.n,
        e: jwk.e,
        kid: pki.manifest.signingKid,
        use: 'sig',
        alg: 'PS256',
        x5c: [cert.raw.toString('base64')],
      },
    ],
  };
}

/** Body for `POST /__admin/directory/software-statements` enrolling the PKI's TPP. */
export function tppEnrolment(
  pki: LoadedPki,
  redirectUris: string[],
  roles: string[] = ['AISP', 'PISP', 'CBPII'],
) {
  return {
    organisationId: pki.manifest.organisationId,
    organisationName: pki.manifest.organisationName,
    softwareId: pki.manifest.softwareId,
    softwareClientName: 'OBC Test TPP',
    redirectUris,
    roles,
    signingJwks: tppSigningJwks(pki),
    transportSubjectDn: pki.manifest.transportSubjectDn,
  };
}
