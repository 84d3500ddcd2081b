import { decodeJwt, flattenedVerify, importJWK, type JWK } from 'jose';

export const OB_CLAIM = {
  iat: 'http://openbanking.org.uk/iat',
  iss: 'http://openbanking.org.uk/iss',
  tan: 'http://openbanking.org.uk/tan',
} as const;
const CRIT = [OB_CLAIM.iat, OB_CLAIM.iss, OB_CLAIM.tan];
const TRUST_ANCHOR = 'openbanking.org.uk';
const CLOCK_SKEW_SECONDS = 60;
/** A signature older than this is refused; the connector signs each attempt afresh. */
const MAX_AGE_SECONDS = 600;

/**
 * v4.0 signature error codes (shared README): U016 invalid claim, U017 missing claim, U018
 * malformed, U019 missing. A signature value that does not verify is U015 (Signature.Invalid,
 * the code before the claim codes in the v4.0 list).
 */
export const JWS_ERROR_CODE = {
  invalid: 'U015',
  invalidClaim: 'U016',
  missingClaim: 'U017',
  malformed: 'U018',
  missing: 'U019',
} as const;

export class JwsSignatureError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly path = 'header.x-jws-signature',
  ) {
    super(message);
  }
}

/** What the bank knows of a registered client's signing identity (copied at DCR). */
export interface SigningClient {
  jwks: { keys: JWK[] };
  organisationId: string;
  softwareId: string;
}

/**
 * Verifies an OB detached JWS (`<protected>..<signature>`) over the exact request bytes, with
 * the v3.1.4+ profile: PS256, kid of the client's registered key, crit exactly the three OB
 * claims, iss `{org id}/{software id}`, tan openbanking.org.uk, a recent iat, and no b64.
 * With `b64Header` (quirk requests.jwsB64Header, a bank on the older profile) it is the other
 * way round: `b64: false` is required, listed in crit too, and the signature is checked over the
 * unencoded payload (RFC 7797).
 */
export async function verifyDetachedJws(
  header: string | undefined,
  raw: Buffer,
  client: SigningClient,
  nowSeconds: number,
  options: { b64Header?: boolean } = {},
): Promise<void> {
  if (!header) throw new JwsSignatureError(JWS_ERROR_CODE.missing, 'x-jws-signature is required');
  const parts = header.split('.');
  if (parts.length !== 3 || parts[1] !== '' || !parts[0] || !parts[2])
    throw new JwsSignatureError(
      JWS_ERROR_CODE.malformed,
      'x-jws-signature must be a detached JWS (<protected>..<signature>)',
    );
  let protectedHeader: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error();
    protectedHeader = parsed as Record<string, unknown>;
  } catch {
    throw new JwsSignatureError(JWS_ERROR_CODE.malformed, 'the JWS protected header is not JSON');
  }
  const claim = (name: string): unknown => {
    if (protectedHeader[name] === undefined)
      throw new JwsSignatureError(JWS_ERROR_CODE.missingClaim, `the JWS header lacks ${name}`);
    return protectedHeader[name];
  };
  const invalid = (message: string) => new JwsSignatureError(JWS_ERROR_CODE.invalidClaim, message);

  if (claim('alg') !== 'PS256') throw invalid('alg must be PS256');
  const kid = claim('kid');
  if (options.b64Header) {
    if (claim('b64') !== false) throw invalid('this bank requires the b64 header, set to false');
  } else if ('b64' in protectedHeader) throw invalid('the b64 header is not allowed');
  const expectedCrit = options.b64Header ? ['b64', ...CRIT] : CRIT;
  const crit = claim('crit');
  if (
    !Array.isArray(crit) ||
    crit.length !== expectedCrit.length ||
    !expectedCrit.every((c) => crit.includes(c))
  )
    throw invalid(`crit must list exactly ${expectedCrit.join(', ')}`);
  const iat = claim(OB_CLAIM.iat);
  const iss = claim(OB_CLAIM.iss);
  const tan = claim(OB_CLAIM.tan);
  if (typeof iat !== 'number' || !Number.isFinite(iat))
    throw invalid(`${OB_CLAIM.iat} must be a number`);
  if (iat > nowSeconds + CLOCK_SKEW_SECONDS) throw invalid(`${OB_CLAIM.iat} is in the future`);
  if (iat < nowSeconds - MAX_AGE_SECONDS) throw invalid(`${OB_CLAIM.iat} is too old`);
  if (iss !== `${client.organisationId}/${client.softwareId}`)
    throw invalid(`${OB_CLAIM.iss} does not name this client's organisation and software`);
  if (tan !== TRUST_ANCHOR) throw invalid(`${OB_CLAIM.tan} must be ${TRUST_ANCHOR}`);
  const jwk = client.jwks.keys.find(
    (k) => k.kid === kid && (k.use === undefined || k.use === 'sig'),
  );
  if (typeof kid !== 'string' || !jwk) throw invalid("kid is not one of the client's signing keys");

  let key: Awaited<ReturnType<typeof importJWK>>;
  try {
    key = await importJWK(jwk, 'PS256');
  } catch {
    throw invalid("the client's signing key cannot be used with PS256");
  }
  try {
    await flattenedVerify(
      {
        protected: parts[0],
        // b64 false: the signing input holds the payload's bytes as they are.
        payload: options.b64Header ? new Uint8Array(raw) : raw.toString('base64url'),
        signature: parts[2],
      },
      key,
      { algorithms: ['PS256'], crit: Object.fromEntries(CRIT.map((c) => [c, true])) },
    );
  } catch {
    throw new JwsSignatureError(
      JWS_ERROR_CODE.invalid,
      'the signature does not verify over the request body',
    );
  }
}

/** Org id and software id of a client, from the software statement it registered with. */
export function signingClientFromMetadata(
  metadata: Record<string, unknown>,
): SigningClient | undefined {
  const jwks = metadata.jwks as { keys?: JWK[] } | undefined;
  if (!jwks?.keys || typeof metadata.software_statement !== 'string') return undefined;
  try {
    const ssa = decodeJwt(metadata.software_statement);
    const organisationId = ssa.org_id;
    const softwareId = metadata.software_id ?? ssa.software_id;
    if (typeof organisationId !== 'string' || typeof softwareId !== 'string') return undefined;
    return { jwks: { keys: jwks.keys }, organisationId, softwareId };
  } catch {
    return undefined;
  }
}
