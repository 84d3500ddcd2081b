import { constants, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import type { Response } from 'express';
import { OB_CLAIM } from './jws-signature';

export const RESPONSE_SIGNATURE_FAULTS = ['bad-signature', 'no-signature'] as const;
export type ResponseSignatureFault = (typeof RESPONSE_SIGNATURE_FAULTS)[number];

const TRUST_ANCHOR = 'openbanking.org.uk';

/** Where the signer learns whether the next response must be signed badly or not at all. */
export interface ResponseSignatureFaults {
  takeResponseSignatureFault(): ResponseSignatureFault | undefined;
}

/**
 * Signs the bank's PIS and VRP responses as an ASPSP does (OB v4.0: every response carries
 * x-jws-signature): a detached PS256 JWS over the exact body bytes, kid of the bank's signing key
 * (the one published at its jwks_uri), iss the bank's organisation (financial) id, tan
 * openbanking.org.uk, crit exactly the three OB claims. A fault may spoil or drop the signature.
 */
export class ResponseSigner {
  private readonly key: KeyObject;
  private readonly kid: string;

  constructor(
    jwk: JsonWebKey & { kid: string },
    private readonly issuer: string,
    private readonly faults: ResponseSignatureFaults,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.key = createPrivateKey({ key: jwk, format: 'jwk' });
    this.kid = jwk.kid;
  }

  /** The x-jws-signature for `body`, or undefined when a fault says to send none. */
  signatureFor(body: Buffer): string | undefined {
    const fault = this.faults.takeResponseSignatureFault();
    if (fault === 'no-signature') return undefined;
    const header = Buffer.from(
      JSON.stringify({
        alg: 'PS256',
        kid: this.kid,
        crit: [OB_CLAIM.iat, OB_CLAIM.iss, OB_CLAIM.tan],
        [OB_CLAIM.iat]: this.nowSeconds(),
        [OB_CLAIM.iss]: this.issuer,
        [OB_CLAIM.tan]: TRUST_ANCHOR,
      }),
    ).toString('base64url');
    // A bad signature is a real signature over other bytes: well-formed, and wrong.
    const signed = fault === 'bad-signature' ? Buffer.concat([body, Buffer.from(' ')]) : body;
    const signature = sign('sha256', Buffer.from(`${header}.${signed.toString('base64url')}`), {
      key: this.key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    }).toString('base64url');
    return `${header}..${signature}`;
  }

  /**
   * Signs what the response finally sends: `res.send` is wrapped, so a body that other layers
   * rewrite through `res.json` (the v3.1.11 front, quirk modes) is signed as the bytes that leave.
   */
  signJsonResponses(res: Response): void {
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      if (
        (typeof body === 'string' || Buffer.isBuffer(body)) &&
        res.getHeader('x-jws-signature') === undefined
      ) {
        const signature = this.signatureFor(
          typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
        );
        if (signature) res.setHeader('x-jws-signature', signature);
      }
      return send(body);
    };
  }
}
