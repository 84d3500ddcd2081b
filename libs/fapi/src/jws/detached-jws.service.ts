import { Injectable } from '@nestjs/common';
import { Clock } from '@obc/common';
import { KeyStore } from '../key-store';
import { JwksCache } from '../jwks.cache';
import { createDetachedJws } from './detached-jws.signer';
import { VerifiedDetachedJws, verifyDetachedJws } from './detached-jws.verifier';

export interface DetachedJwsSigningInput {
  payload: string | Buffer;
  signingKey: { kid: string; privateKeyPem: string };
  organisationId: string;
  softwareStatementId: string;
  trustAnchor?: string;
}

export interface BankSignatureExpectations {
  profileId: string;
  jwksUri: string;
  trustedCaPem?: string;
  expectedIssuer?: string;
  trustAnchor?: string;
  maxAgeSeconds?: number;
}

/**
 * The detached JWS functions wired to the connector's key store, JWKS cache and clock, for the
 * payment services: sign a request body, verify a bank's response signature.
 */
@Injectable()
export class DetachedJwsService {
  constructor(
    private readonly keys: KeyStore,
    private readonly jwks: JwksCache,
    private readonly clock: Clock,
  ) {}

  sign(input: DetachedJwsSigningInput): Promise<string> {
    return createDetachedJws({
      payload: input.payload,
      privateKey: this.keys.privateKey(input.signingKey.privateKeyPem),
      kid: input.signingKey.kid,
      organisationId: input.organisationId,
      softwareStatementId: input.softwareStatementId,
      trustAnchor: input.trustAnchor,
      clock: this.clock,
    });
  }

  verifyBankSignature(
    signatureHeader: string | undefined,
    payload: string | Buffer,
    expected: BankSignatureExpectations,
  ): Promise<VerifiedDetachedJws> {
    return verifyDetachedJws(signatureHeader, payload, {
      resolveKey: (kid) =>
        this.jwks.getKey({
          profileId: expected.profileId,
          jwksUri: expected.jwksUri,
          kid,
          trustedCaPem: expected.trustedCaPem,
        }),
      expectedIssuer: expected.expectedIssuer,
      trustAnchor: expected.trustAnchor,
      maxAgeSeconds: expected.maxAgeSeconds,
      clock: this.clock,
    });
  }
}
