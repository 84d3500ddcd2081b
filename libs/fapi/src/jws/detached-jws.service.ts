import { Injectable } from '@nestjs/common';
import type { BankProfile } from '@obc/bank-profiles';
import { BankCallError, Clock } from '@obc/common';
import { KeyStore } from '../key-store';
import { JwksCache } from '../jwks.cache';
import { DetachedJwsError } from './detached-jws.error';
import { createDetachedJws } from './detached-jws.signer';
import { VerifiedDetachedJws, verifyDetachedJws } from './detached-jws.verifier';

export interface DetachedJwsSigningInput {
  payload: string | Buffer;
  signingKey: { kid: string; privateKeyPem: string };
  organisationId: string;
  softwareStatementId: string;
  trustAnchor?: string;
  /** The pre-v3.1.4 header (`b64: false` in crit): profile `messageSigning.b64Header`. */
  b64Header?: boolean;
}

export interface BankSignatureExpectations {
  profileId: string;
  jwksUri: string;
  trustedCaPem?: string;
  expectedIssuer?: string;
  trustAnchor?: string;
  maxAgeSeconds?: number;
}

/** The problem code of a bank response whose signature is missing or does not verify. */
export const RESPONSE_SIGNATURE_INVALID = 'bank/response-signature-invalid';

/**
 * How old a bank's response signature may be. Generous on purpose: a bank replaying its first
 * answer to an idempotent retry may replay the signature made then, and the signature proves
 * who wrote the body, not when (TLS protects the exchange itself).
 */
export const RESPONSE_SIGNATURE_MAX_AGE_SECONDS = 24 * 60 * 60;

/** A successful bank response to check against the profile's `messageSigning`. */
export interface BankResponseSignatureCheck {
  profile: Pick<BankProfile, 'id' | 'financialId' | 'messageSigning'>;
  /** The jwks_uri of the bank's OpenID configuration: used unless the profile names a JWKS. */
  discoveredJwksUri?: string;
  trustedCaPem?: string;
  endpoint: string;
  method: string;
  response: {
    status: number;
    headers: Record<string, string>;
    /** The body as received; its UTF-8 bytes are what the bank signed. */
    rawBody: string;
    interactionId: string;
  };
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
      b64Header: input.b64Header,
    });
  }

  /**
   * When the profile says the bank signs its responses (`messageSigning.verifyResponseSignatures`),
   * checks `x-jws-signature` over the exact body received, against the bank's keys (the profile's
   * `jwksUrl`, else its discovered jwks_uri), with `iss` the profile's `issuer` (default: its
   * financialId). A missing or invalid signature is a 502 `bank/response-signature-invalid`
   * ('bank-failure', so an idempotency record stays retryable); the body is not echoed, since it
   * is not the bank's as far as anyone can tell.
   */
  async verifyBankResponse(check: BankResponseSignatureCheck): Promise<void> {
    const signing = check.profile.messageSigning;
    if (!signing.verifyResponseSignatures) return;
    const bank = {
      status: check.response.status,
      endpoint: check.endpoint,
      method: check.method,
      interactionId: check.response.interactionId,
      body: null,
    };
    const refuse = (reason: string, cause?: unknown) =>
      new BankCallError(
        RESPONSE_SIGNATURE_INVALID,
        'bank-failure',
        "The bank's response signature is missing or not valid",
        bank,
        `${reason} The response to ${check.method} ${check.endpoint} was not used. If it created something, retrying with the same Idempotency-Key sends the bank the same x-idempotency-key, so it answers again instead of acting twice.`,
        cause,
      );
    const jwksUri = signing.jwksUrl ?? check.discoveredJwksUri;
    if (!jwksUri) {
      throw refuse(
        `Bank profile '${check.profile.id}' verifies response signatures but knows no JWKS for them; set messageSigning.jwksUrl.`,
      );
    }
    try {
      await this.verifyBankSignature(
        check.response.headers['x-jws-signature'],
        Buffer.from(check.response.rawBody, 'utf8'),
        {
          profileId: check.profile.id,
          jwksUri,
          trustedCaPem: check.trustedCaPem,
          expectedIssuer: signing.issuer ?? check.profile.financialId,
          trustAnchor: signing.trustAnchor,
          maxAgeSeconds: RESPONSE_SIGNATURE_MAX_AGE_SECONDS,
        },
      );
    } catch (error: unknown) {
      if (error instanceof DetachedJwsError) throw refuse(error.detail, error);
      throw error;
    }
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
