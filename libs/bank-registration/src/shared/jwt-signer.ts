import { Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import { KeyStore, signJwt } from '@obc/fapi';

export interface JwtSigningKey {
  kid: string;
  privateKeyPem: string;
}

/**
 * Signs the JWTs this module sends (registration requests, directory client assertions): PS256,
 * header kid and typ JWT, with the fapi primitives. One injectable seam so services are tested
 * with a strict mock.
 */
@Injectable()
export class JwtSigner {
  constructor(private readonly keys: KeyStore) {}

  async sign(payload: Record<string, unknown>, key: JwtSigningKey): Promise<string> {
    return signJwt(payload as JWTPayload, {
      privateKey: this.keys.privateKey(key.privateKeyPem),
      kid: key.kid,
      alg: 'PS256',
      typ: 'JWT',
    });
  }
}
