import { constants, KeyObject, sign } from 'node:crypto';
import { base64url, compactVerify, decodeProtectedHeader, flattenedVerify } from 'jose';
import { createSigningKey, ManualClock, TestSigningKey } from '../testing/fapi-test-doubles';
import { JwksKeyNotFoundError } from '../jwks.errors';
import { createDetachedJws } from './detached-jws.signer';
import { verifyDetachedJws, VerifyDetachedJwsOptions } from './detached-jws.verifier';
import { DetachedJwsError } from './detached-jws.error';
import {
  OB_CRIT_HEADERS,
  OB_IAT_HEADER,
  OB_ISS_HEADER,
  OB_TAN_HEADER,
} from './detached-jws.constants';

const NOW_MS = Date.UTC(2025, 0, 15, 12, 0, 0);
const NOW_S = NOW_MS / 1000;
const BODY =
  '{"Data":{"Initiation":{"InstructedAmount":{"Amount":"10.00","Currency":"GBP"}}},"Risk":{}}';

let key: TestSigningKey;
let otherKey: TestSigningKey;

beforeAll(async () => {
  key = await createSigningKey('bank-kid');
  otherKey = await createSigningKey('other-kid');
});

function sign_(payload: string | Buffer = BODY, clock = new ManualClock(NOW_MS)): Promise<string> {
  return createDetachedJws({
    payload,
    privateKey: key.privateKey,
    kid: key.kid,
    organisationId: 'org-1',
    softwareStatementId: 'ssa-1',
    clock,
  });
}

function options(overrides: Partial<VerifyDetachedJwsOptions> = {}): VerifyDetachedJwsOptions {
  return {
    resolveKey: (kid) =>
      kid === key.kid
        ? Promise.resolve(key.publicKey)
        : Promise.reject(new JwksKeyNotFoundError('https://bank/jwks', kid)),
    clock: new ManualClock(NOW_MS),
    ...overrides,
  };
}

function goodHeader(): Record<string, unknown> {
  return {
    alg: 'PS256',
    kid: key.kid,
    [OB_IAT_HEADER]: NOW_S,
    [OB_ISS_HEADER]: 'org-1/ssa-1',
    [OB_TAN_HEADER]: 'openbanking.org.uk',
    crit: [...OB_CRIT_HEADERS],
  };
}

/** Signs with node:crypto directly (RSA-PSS, SHA-256, 32-byte salt), bypassing jose's checks. */
function manualDetached(
  header: Record<string, unknown>,
  payload: string | Buffer = BODY,
  privateKey: KeyObject = key.privateKey,
  padding = constants.RSA_PKCS1_PSS_PADDING,
): string {
  const protectedPart = base64url.encode(JSON.stringify(header));
  const input = `${protectedPart}.${base64url.encode(typeof payload === 'string' ? payload : new Uint8Array(payload))}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: privateKey,
    padding,
    saltLength: 32,
  });
  return `${protectedPart}..${base64url.encode(new Uint8Array(signature))}`;
}

async function expectInvalid(promise: Promise<unknown>, detail: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DetachedJwsError);
  const jwsError = error as DetachedJwsError;
  expect(jwsError.code).toBe('jws/invalid');
  expect(jwsError.kind).toBe('bank-failure');
  expect(jwsError.detail).toMatch(detail);
}

describe('createDetachedJws', () => {
  it('produces <protected>..<signature> with an empty middle part', async () => {
    const jws = await sign_();
    const parts = jws.split('.');
    expect(parts).toHaveLength(3);
    expect(parts[0]).not.toBe('');
    expect(parts[1]).toBe('');
    expect(parts[2]).not.toBe('');
  });

  it('puts exactly the OB members in the protected header, crit exactly the three, no b64', async () => {
    const header = decodeProtectedHeader(
      await createDetachedJws({
        payload: BODY,
        privateKey: key.privateKey,
        kid: key.kid,
        organisationId: 'org-1',
        softwareStatementId: 'ssa-1',
        trustAnchor: 'openbankingtest.org.uk',
        clock: new ManualClock(NOW_MS),
      }),
    );
    expect(header).toEqual({
      alg: 'PS256',
      kid: 'bank-kid',
      [OB_IAT_HEADER]: NOW_S,
      [OB_ISS_HEADER]: 'org-1/ssa-1',
      [OB_TAN_HEADER]: 'openbankingtest.org.uk',
      crit: [OB_IAT_HEADER, OB_ISS_HEADER, OB_TAN_HEADER],
    });
    expect(header).not.toHaveProperty('b64');
  });

  it('defaults the trust anchor to openbanking.org.uk', async () => {
    expect(decodeProtectedHeader(await sign_())[OB_TAN_HEADER]).toBe('openbanking.org.uk');
  });

  it('signs protected.base64url(exact bytes): jose compactVerify accepts the reattached payload', async () => {
    const jws = await sign_();
    const [protectedPart, , signature] = jws.split('.');
    const attached = `${protectedPart}.${base64url.encode(BODY)}.${signature}`;
    const { payload } = await compactVerify(attached, key.publicKey, {
      algorithms: ['PS256'],
      crit: { [OB_IAT_HEADER]: true, [OB_ISS_HEADER]: true, [OB_TAN_HEADER]: true },
    });
    expect(new TextDecoder().decode(payload)).toBe(BODY);
  });

  it('signs a Buffer and its string form identically (the bytes, not an object)', async () => {
    const fromBuffer = await sign_(Buffer.from(BODY, 'utf8'));
    await expect(verifyDetachedJws(fromBuffer, BODY, options())).resolves.toBeDefined();
    const unicode = '{"Reference":"café £5"}';
    const jws = await sign_(unicode);
    await expect(
      verifyDetachedJws(jws, Buffer.from(unicode, 'utf8'), options()),
    ).resolves.toBeDefined();
  });
});

describe('createDetachedJws with the b64 header (profile messageSigning.b64Header)', () => {
  it('adds b64 false, lists it in crit and signs protected.payload with the payload unencoded (RFC 7797)', async () => {
    const jws = await createDetachedJws({
      payload: BODY,
      privateKey: key.privateKey,
      kid: key.kid,
      organisationId: 'org-1',
      softwareStatementId: 'ssa-1',
      clock: new ManualClock(NOW_MS),
      b64Header: true,
    });
    const [protectedPart, middle, signature] = jws.split('.');
    expect(middle).toBe('');
    expect(decodeProtectedHeader(jws)).toEqual({
      alg: 'PS256',
      kid: 'bank-kid',
      b64: false,
      [OB_IAT_HEADER]: NOW_S,
      [OB_ISS_HEADER]: 'org-1/ssa-1',
      [OB_TAN_HEADER]: 'openbanking.org.uk',
      crit: ['b64', OB_IAT_HEADER, OB_ISS_HEADER, OB_TAN_HEADER],
    });
    // The signing input is the header and the raw body: verified over exactly that.
    const verified = await flattenedVerify(
      { protected: protectedPart, payload: BODY, signature },
      key.publicKey,
      {
        algorithms: ['PS256'],
        crit: { [OB_IAT_HEADER]: true, [OB_ISS_HEADER]: true, [OB_TAN_HEADER]: true },
      },
    );
    expect(new TextDecoder().decode(verified.payload)).toBe(BODY);
    // Not over the base64url form the v3.1.4+ header signs.
    const attached = `${protectedPart}.${base64url.encode(BODY)}.${signature}`;
    await expect(
      compactVerify(attached, key.publicKey, {
        algorithms: ['PS256'],
        crit: { [OB_IAT_HEADER]: true, [OB_ISS_HEADER]: true, [OB_TAN_HEADER]: true },
      }),
    ).rejects.toThrow();
  });
});

describe('verifyDetachedJws', () => {
  it('accepts its own signature (round trip) and reports the header', async () => {
    const verified = await verifyDetachedJws(await sign_(), BODY, options());
    expect(verified).toEqual({
      kid: 'bank-kid',
      issuer: 'org-1/ssa-1',
      trustAnchor: 'openbanking.org.uk',
      issuedAt: NOW_S,
    });
  });

  it('accepts a signature computed by hand over protected.base64url(payload)', async () => {
    await expect(verifyDetachedJws(manualDetached(goodHeader()), BODY, options())).resolves.toEqual(
      expect.objectContaining({ kid: 'bank-kid' }),
    );
  });

  it('refuses a payload with one byte changed', async () => {
    const jws = await sign_();
    const tampered = Buffer.from(BODY, 'utf8');
    tampered[tampered.length - 2] ^= 0x01;
    await expectInvalid(verifyDetachedJws(jws, tampered, options()), /does not verify/);
  });

  it('refuses the same object re-serialised with other whitespace', async () => {
    const jws = await sign_();
    const reserialised = JSON.stringify(JSON.parse(BODY) as unknown, null, 2);
    await expectInvalid(verifyDetachedJws(jws, reserialised, options()), /does not verify/);
  });

  it('refuses a signature by another key under the same kid', async () => {
    const jws = manualDetached(goodHeader(), BODY, otherKey.privateKey);
    await expectInvalid(verifyDetachedJws(jws, BODY, options()), /does not verify/);
  });

  it('refuses an unknown kid as invalid', async () => {
    const jws = manualDetached({ ...goodHeader(), kid: 'nope' });
    await expectInvalid(
      verifyDetachedJws(jws, BODY, options()),
      /'nope' is not in the bank's JWKS/,
    );
  });

  it('refuses crit with an extra member', async () => {
    const jws = manualDetached({ ...goodHeader(), crit: [...OB_CRIT_HEADERS, 'exp'], exp: 1 });
    await expectInvalid(verifyDetachedJws(jws, BODY, options()), /outside the OB profile.*exp/);
  });

  it('refuses crit missing a member', async () => {
    const jws = manualDetached({ ...goodHeader(), crit: [OB_IAT_HEADER, OB_ISS_HEADER] });
    await expectInvalid(
      verifyDetachedJws(jws, BODY, options()),
      new RegExp(`does not list ${OB_TAN_HEADER}`),
    );
  });

  it('refuses a missing crit and a duplicated crit member', async () => {
    const { crit: _crit, ...noCrit } = goodHeader();
    await expectInvalid(verifyDetachedJws(manualDetached(noCrit), BODY, options()), /no 'crit'/);
    const twice = manualDetached({ ...goodHeader(), crit: [...OB_CRIT_HEADERS, OB_IAT_HEADER] });
    await expectInvalid(verifyDetachedJws(twice, BODY, options()), /twice/);
  });

  it.each([OB_IAT_HEADER, OB_ISS_HEADER, OB_TAN_HEADER])(
    'refuses a header listed in crit but absent: %s',
    async (name) => {
      const header = goodHeader();
      delete header[name];
      await expectInvalid(
        verifyDetachedJws(manualDetached(header), BODY, options()),
        new RegExp(`lacks '${name}'`),
      );
    },
  );

  it('refuses b64:false (unencoded payload), even when crit lists b64', async () => {
    const header = { ...goodHeader(), b64: false };
    await expectInvalid(verifyDetachedJws(manualDetached(header), BODY, options()), /'b64'/);
    const listed = { ...header, crit: [...OB_CRIT_HEADERS, 'b64'] };
    await expectInvalid(verifyDetachedJws(manualDetached(listed), BODY, options()), /'b64'/);
  });

  it('refuses RS256 and none before fetching a key', async () => {
    const resolveKey = jest.fn(() => Promise.resolve(key.publicKey));
    const rs256 = manualDetached(
      { ...goodHeader(), alg: 'RS256' },
      BODY,
      key.privateKey,
      constants.RSA_PKCS1_PADDING,
    );
    await expectInvalid(verifyDetachedJws(rs256, BODY, options({ resolveKey })), /'RS256'/);
    const none = `${base64url.encode(JSON.stringify({ ...goodHeader(), alg: 'none' }))}..`;
    await expectInvalid(
      verifyDetachedJws(none, BODY, options({ resolveKey })),
      /<protected>\.\.<signature>/,
    );
    expect(resolveKey).not.toHaveBeenCalled();
  });

  it('refuses a wrong trust anchor and accepts the configured one', async () => {
    const sandbox = manualDetached({ ...goodHeader(), [OB_TAN_HEADER]: 'openbankingtest.org.uk' });
    await expectInvalid(
      verifyDetachedJws(sandbox, BODY, options()),
      /expected 'openbanking.org.uk'/,
    );
    await expect(
      verifyDetachedJws(sandbox, BODY, options({ trustAnchor: 'openbankingtest.org.uk' })),
    ).resolves.toBeDefined();
  });

  it('checks the issuer when one is expected', async () => {
    const jws = await sign_();
    await expectInvalid(
      verifyDetachedJws(jws, BODY, options({ expectedIssuer: 'org-2/ssa-1' })),
      /expected 'org-2\/ssa-1'/,
    );
    await expect(
      verifyDetachedJws(jws, BODY, options({ expectedIssuer: 'org-1/ssa-1' })),
    ).resolves.toBeDefined();
  });

  it('refuses an iat in the future or too old, within the clock tolerance', async () => {
    const at = (seconds: number) =>
      manualDetached({ ...goodHeader(), [OB_IAT_HEADER]: NOW_S + seconds });
    await expectInvalid(verifyDetachedJws(at(61), BODY, options()), /in the future/);
    await expect(verifyDetachedJws(at(60), BODY, options())).resolves.toBeDefined();
    await expectInvalid(verifyDetachedJws(at(-361), BODY, options()), /361s old/);
    await expect(verifyDetachedJws(at(-360), BODY, options())).resolves.toBeDefined();
    await expectInvalid(
      verifyDetachedJws(at(-100), BODY, options({ maxAgeSeconds: 30 })),
      /at most 30s/,
    );
    const text = manualDetached({ ...goodHeader(), [OB_IAT_HEADER]: String(NOW_S) });
    await expectInvalid(verifyDetachedJws(text, BODY, options()), /not a number/);
  });

  it('refuses an attached (non-detached) JWS and garbage', async () => {
    const [p, , s] = (await sign_()).split('.');
    const attached = `${p}.${base64url.encode(BODY)}.${s}`;
    await expectInvalid(verifyDetachedJws(attached, BODY, options()), /not detached/);
    await expectInvalid(verifyDetachedJws('abc', BODY, options()), /form/);
    await expectInvalid(verifyDetachedJws('!!!..abc', BODY, options()), /base64url-encoded JSON/);
  });

  it('reports a missing header as jws/missing', async () => {
    for (const value of [undefined, '', '  ']) {
      const error = await verifyDetachedJws(value, BODY, options()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DetachedJwsError);
      expect((error as DetachedJwsError).code).toBe('jws/missing');
      expect((error as DetachedJwsError).kind).toBe('bank-failure');
    }
  });

  it('passes other key-resolution failures through (e.g. the JWKS fetch failed)', async () => {
    const boom = new Error('network');
    await expect(
      verifyDetachedJws(await sign_(), BODY, options({ resolveKey: () => Promise.reject(boom) })),
    ).rejects.toBe(boom);
  });
});
