import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { exportJWK, JWK, JWTPayload, SignJWT } from 'jose';
import { Clock } from '@obc/common';
import { BankHttpClient, BankRequest, BankResponse } from '@obc/bank-http';

/** Test-only helpers for the fapi specs (never imported by production code). */

export class ManualClock extends Clock {
  constructor(public ms: number) {
    super();
  }
  now(): Date {
    return new Date(this.ms);
  }
  advanceSeconds(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export interface TestSigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public JWK as a bank would publish it. */
  jwk: JWK;
}

export async function createSigningKey(
  kid: string,
  extra: Partial<JWK> = {},
): Promise<TestSigningKey> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', ...extra };
  return { kid, privateKey, publicKey, jwk };
}

/**
 * A strict stand-in for BankHttpClient that serves a JWKS: it answers only GETs for the JWKS
 * URIs it was given and fails the test on anything else. `keys` can be changed between calls to
 * simulate a bank rotating its keys.
 */
export class FakeJwksHttp {
  readonly calls: BankRequest[] = [];
  readonly sets = new Map<string, unknown>();

  serve(jwksUri: string, body: unknown): this {
    this.sets.set(jwksUri, body);
    return this;
  }

  callsTo(jwksUri: string): number {
    return this.calls.filter((c) => c.url === jwksUri).length;
  }

  asClient(): BankHttpClient {
    return this as unknown as BankHttpClient;
  }

  request<T>(req: BankRequest): Promise<BankResponse<T>> {
    this.calls.push(req);
    if (req.method !== 'GET' || req.endpoint !== 'jwks' || !this.sets.has(req.url)) {
      throw new Error(`unexpected bank call ${req.method} ${req.endpoint} ${req.url}`);
    }
    const data = this.sets.get(req.url) as T;
    return Promise.resolve({
      status: 200,
      headers: { 'content-type': 'application/json' },
      data,
      rawBody: JSON.stringify(data),
      interactionId: 'test',
    });
  }
}

/** Signs claims as a bank's ID token would be (PS256 unless told otherwise). */
export async function signIdToken(
  claims: JWTPayload,
  key: { kid: string; privateKey: KeyObject },
  alg = 'PS256',
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, kid: key.kid }).sign(key.privateKey);
}
