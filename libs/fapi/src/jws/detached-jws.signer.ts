import { KeyObject } from 'node:crypto';
import { FlattenedSign } from 'jose';
import { Clock } from '@obc/common';
import {
  B64_HEADER,
  OB_CRIT_HEADERS,
  OB_CRIT_OPTION,
  OB_DEFAULT_TRUST_ANCHOR,
  OB_IAT_HEADER,
  OB_ISS_HEADER,
  OB_TAN_HEADER,
} from './detached-jws.constants';

export interface CreateDetachedJwsInput {
  /** The exact bytes that go on the wire: a string is signed as its UTF-8 encoding. */
  payload: string | Buffer;
  privateKey: KeyObject;
  kid: string;
  organisationId: string;
  softwareStatementId: string;
  /** Defaults to the production directory, `openbanking.org.uk`. */
  trustAnchor?: string;
  clock: Clock;
  /**
   * The pre-v3.1.4 header some banks still want (profile `messageSigning.b64Header`):
   * `b64: false`, listed in `crit`, and the payload signed unencoded (RFC 7797).
   */
  b64Header?: boolean;
}

/** The payload's bytes as sent: never re-serialised, so the signature covers what the bank reads. */
export function payloadBytes(payload: string | Buffer): Uint8Array {
  return typeof payload === 'string' ? new TextEncoder().encode(payload) : new Uint8Array(payload);
}

/**
 * Signs a request body as the OB signing profile (v3.1.4+) requires and returns the value of
 * `x-jws-signature`: `<protected>..<signature>`, the payload part left empty (detached). With
 * `b64Header`, the header also carries `b64: false` (in `crit` too) and the signing input is the
 * header and the payload's bytes as they are, as that header says (RFC 7797).
 */
export async function createDetachedJws(input: CreateDetachedJwsInput): Promise<string> {
  const header = {
    alg: 'PS256',
    kid: input.kid,
    ...(input.b64Header ? { b64: false } : {}),
    [OB_IAT_HEADER]: input.clock.nowSeconds(),
    [OB_ISS_HEADER]: `${input.organisationId}/${input.softwareStatementId}`,
    [OB_TAN_HEADER]: input.trustAnchor ?? OB_DEFAULT_TRUST_ANCHOR,
    crit: input.b64Header ? [B64_HEADER, ...OB_CRIT_HEADERS] : [...OB_CRIT_HEADERS],
  };
  const jws = await new FlattenedSign(payloadBytes(input.payload))
    .setProtectedHeader(header)
    .sign(input.privateKey, { crit: OB_CRIT_OPTION });
  return `${jws.protected}..${jws.signature}`;
}
