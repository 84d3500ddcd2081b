import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { rsaThumbprintKid } from '../pki/key-id';

export interface PrivateJwk extends JsonWebKey {
  kid: string;
  use: 'sig';
  alg: 'PS256';
}

/** The bank's ID-token signing key: generated at start-up, so it lives only as long as the process. */
export function generateBankSigningJwk(): PrivateJwk {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    ...privateKey.export({ format: 'jwk' }),
    kid: rsaThumbprintKid(privateKey),
    use: 'sig',
    alg: 'PS256',
  };
}
