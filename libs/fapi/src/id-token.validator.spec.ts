import { createHash } from 'node:crypto';
import { base64url, JWTPayload, SignJWT } from 'jose';
import { STANDARD_QUIRKS } from '@obc/bank-profiles';
import { DomainError } from '@obc/common';
import { IdTokenError } from './id-token.error';
import { oidcHalfHash } from './id-token-hash';
import { IdTokenExpectations } from './id-token.types';
import { IdTokenValidator } from './id-token.validator';
import { JwksCache } from './jwks.cache';
import {
  createSigningKey,
  FakeJwksHttp,
  ManualClock,
  signIdToken,
  TestSigningKey,
} from './testing/fapi-test-doubles';

const JWKS_URI = 'https://bank.example/jwks';
const ISSUER = 'https://bank.example/as';
const CLIENT = 'client-abc';
const INTENT = 'aac-6f1c2b3a';
const CODE = 'code-123';
const STATE = 'state-456';
const NONCE = 'nonce-789';
const ACCESS = 'access-token-xyz';

/** Independent of the implementation: half of SHA-256, base64url. */
function halfHash(value: string): string {
  return createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url');
}

describe('IdTokenValidator', () => {
  let bank: TestSigningKey;
  let attacker: TestSigningKey;
  const clock = new ManualClock(Date.UTC(2026, 3, 1, 10, 0, 0));
  const now = () => clock.nowSeconds();
  let http: FakeJwksHttp;
  let validator: IdTokenValidator;

  beforeAll(async () => {
    bank = await createSigningKey('bank-1');
    attacker = await createSigningKey('bank-1');
  });

  beforeEach(() => {
    http = new FakeJwksHttp().serve(JWKS_URI, { keys: [bank.jwk] });
    validator = new IdTokenValidator(new JwksCache(http.asClient(), clock), clock);
  });

  function claims(overrides: Record<string, unknown> = {}): JWTPayload {
    const base: Record<string, unknown> = {
      iss: ISSUER,
      sub: INTENT,
      aud: CLIENT,
      exp: now() + 300,
      iat: now() - 5,
      nonce: NONCE,
      openbanking_intent_id: INTENT,
      acr: 'urn:openbanking:psd2:sca',
      c_hash: halfHash(CODE),
      s_hash: halfHash(STATE),
    };
    for (const [k, v] of Object.entries(overrides)) {
      if (v === undefined) delete base[k];
      else base[k] = v;
    }
    return base;
  }

  function expectations(overrides: Partial<IdTokenExpectations> = {}): IdTokenExpectations {
    return {
      profileId: 'alpha',
      issuer: ISSUER,
      clientId: CLIENT,
      jwksUri: JWKS_URI,
      nonce: NONCE,
      intentId: INTENT,
      source: 'authorisation',
      code: CODE,
      state: STATE,
      quirks: { ...STANDARD_QUIRKS.idToken },
      ...overrides,
    };
  }

  async function refusal(token: string, exp = expectations()): Promise<string> {
    const error: unknown = await validator.validate(token, exp).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IdTokenError);
    expect((error as DomainError).kind).toBe('validation');
    return (error as DomainError).code;
  }

  it('accepts a good front-channel ID token and returns its claims', async () => {
    const token = await signIdToken(claims(), bank);
    const result = await validator.validate(token, expectations());
    expect(result).toMatchObject({
      iss: ISSUER,
      aud: CLIENT,
      sub: INTENT,
      openbanking_intent_id: INTENT,
    });
    expect(http.callsTo(JWKS_URI)).toBe(1);
  });

  describe('refuses', () => {
    const cases: [string, Record<string, unknown>, Partial<IdTokenExpectations>, string][] = [
      ['a wrong nonce', { nonce: 'other' }, {}, 'id-token/nonce-mismatch'],
      ['a missing nonce', { nonce: undefined }, {}, 'id-token/missing-nonce'],
      ['a wrong s_hash', { s_hash: halfHash('other') }, {}, 'id-token/s-hash-mismatch'],
      ['a missing s_hash', { s_hash: undefined }, {}, 'id-token/missing-s-hash'],
      ['a wrong c_hash', { c_hash: halfHash('other') }, {}, 'id-token/c-hash-mismatch'],
      ['a missing c_hash', { c_hash: undefined }, {}, 'id-token/missing-c-hash'],
      ['a wrong issuer', { iss: `${ISSUER}/` }, {}, 'id-token/wrong-issuer'],
      ['a wrong audience', { aud: 'someone-else' }, {}, 'id-token/wrong-audience'],
      ['an extra untrusted audience', { aud: [CLIENT, 'evil'] }, {}, 'id-token/wrong-audience'],
      ['an empty audience list', { aud: [] }, {}, 'id-token/wrong-audience'],
      ['another authorised party', { azp: 'evil' }, {}, 'id-token/wrong-audience'],
      ['an expired token', { exp: 1775037600 - 61 - 1 }, {}, 'id-token/expired'],
      [
        'a token issued a week ago',
        { iat: 1775037600 - 7 * 86400 },
        {},
        'id-token/issued-too-long-ago',
      ],
      ['a token issued in the future', { iat: 1775037600 + 600 }, {}, 'id-token/not-yet-valid'],
      [
        'another intent id',
        { openbanking_intent_id: 'aac-other' },
        {},
        'id-token/intent-id-mismatch',
      ],
      [
        'a missing intent id',
        { openbanking_intent_id: undefined },
        {},
        'id-token/intent-id-mismatch',
      ],
      [
        'a subject other than the consent id when the profile says consent-id',
        { sub: 'user-42' },
        { quirks: { ...STANDARD_QUIRKS.idToken, subject: 'consent-id' } },
        'id-token/wrong-subject',
      ],
      [
        'a subject other than the client id when the profile says client-id',
        { sub: INTENT },
        { quirks: { ...STANDARD_QUIRKS.idToken, subject: 'client-id' } },
        'id-token/wrong-subject',
      ],
      ['a missing subject', { sub: undefined }, {}, 'id-token/wrong-subject'],
      [
        'a missing acr when the profile requires it',
        { acr: undefined },
        { quirks: { ...STANDARD_QUIRKS.idToken, acrOptional: false } },
        'id-token/missing-acr',
      ],
      [
        'a missing auth_time when the profile requires it',
        {},
        { quirks: { ...STANDARD_QUIRKS.idToken, authTimeOptional: false } },
        'id-token/missing-auth-time',
      ],
      [
        'a wrong at_hash',
        { at_hash: halfHash('other') },
        { source: 'token', accessToken: ACCESS },
        'id-token/at-hash-mismatch',
      ],
      [
        'a wrong nonce from the token endpoint even when nonce is optional',
        { nonce: 'other' },
        { source: 'token', quirks: { ...STANDARD_QUIRKS.idToken, nonceOptional: true } },
        'id-token/nonce-mismatch',
      ],
      [
        'a missing nonce from the token endpoint unless the profile relaxes it',
        { nonce: undefined },
        { source: 'token' },
        'id-token/missing-nonce',
      ],
      [
        'a missing front-channel nonce even when the profile relaxes the token endpoint one',
        { nonce: undefined },
        { quirks: { ...STANDARD_QUIRKS.idToken, nonceOptional: true } },
        'id-token/missing-nonce',
      ],
      [
        'a wrong c_hash from the token endpoint',
        { c_hash: halfHash('other') },
        { source: 'token' },
        'id-token/c-hash-mismatch',
      ],
    ];

    it.each(cases)('%s', async (_name, overrides, exp, code) => {
      // The fixed instant the case table's absolute times are written against.
      expect(now()).toBe(1775037600);
      const token = await signIdToken(claims(overrides), bank);
      expect(await refusal(token, expectations(exp))).toBe(code);
    });

    it('a bad signature (same kid, another key)', async () => {
      const token = await signIdToken(claims(), attacker);
      expect(await refusal(token)).toBe('id-token/invalid-signature');
    });

    it('a tampered payload', async () => {
      const [h, , s] = (await signIdToken(claims(), bank)).split('.');
      const forged = base64url.encode(JSON.stringify(claims({ openbanking_intent_id: 'x' })));
      expect(await refusal(`${h}.${forged}.${s}`)).toBe('id-token/invalid-signature');
    });

    it('a kid the bank does not publish', async () => {
      const token = await signIdToken(claims(), { ...bank, kid: 'unknown' });
      expect(await refusal(token)).toBe('id-token/invalid-signature');
    });

    it('alg none, without fetching any key', async () => {
      const header = base64url.encode(JSON.stringify({ alg: 'none', kid: 'bank-1' }));
      const payload = base64url.encode(JSON.stringify(claims()));
      expect(await refusal(`${header}.${payload}.`)).toBe('id-token/unsupported-alg');
      expect(http.calls).toHaveLength(0);
    });

    it('RS256 with the bank key', async () => {
      const token = await signIdToken(claims(), bank, 'RS256');
      expect(await refusal(token)).toBe('id-token/unsupported-alg');
      expect(http.calls).toHaveLength(0);
    });

    it('HS256 keyed with the bank public key (algorithm confusion)', async () => {
      const secret = bank.publicKey.export({ type: 'spki', format: 'pem' });
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: 'bank-1' })
        .sign(new Uint8Array(Buffer.from(secret)));
      expect(await refusal(token)).toBe('id-token/unsupported-alg');
    });

    it('something that is not a compact JWS', async () => {
      expect(await refusal('not-a-jwt')).toBe('id-token/malformed');
      expect(await refusal('a.b.c.d.e')).toBe('id-token/malformed');
      expect(await refusal('!!.e30.sig')).toBe('id-token/malformed');
    });
  });

  describe('accepts', () => {
    it('aud as an array holding only the client id', async () => {
      const token = await signIdToken(claims({ aud: [CLIENT], azp: CLIENT }), bank);
      await expect(validator.validate(token, expectations())).resolves.toMatchObject({
        aud: [CLIENT],
      });
    });

    it('a token-endpoint ID token without at_hash, c_hash or s_hash', async () => {
      const token = await signIdToken(claims({ c_hash: undefined, s_hash: undefined }), bank);
      const exp = expectations({ source: 'token', accessToken: ACCESS });
      await expect(validator.validate(token, exp)).resolves.toMatchObject({ sub: INTENT });
    });

    it('a matching at_hash', async () => {
      const token = await signIdToken(claims({ at_hash: halfHash(ACCESS) }), bank);
      const exp = expectations({ source: 'token', accessToken: ACCESS });
      await expect(validator.validate(token, exp)).resolves.toMatchObject({ sub: INTENT });
    });

    it('exp in milliseconds when the profile says so, and returns it in seconds', async () => {
      const token = await signIdToken(claims({ exp: (now() + 300) * 1000 }), bank);
      const exp = expectations({ quirks: { ...STANDARD_QUIRKS.idToken, expInMilliseconds: true } });
      await expect(validator.validate(token, exp)).resolves.toMatchObject({ exp: now() + 300 });
    });

    it('iat in milliseconds too when the profile says so; refused as future-issued otherwise', async () => {
      const ms = claims({ exp: (now() + 300) * 1000, iat: now() * 1000 });
      const token = await signIdToken(ms, bank);
      const exp = expectations({ quirks: { ...STANDARD_QUIRKS.idToken, expInMilliseconds: true } });
      await expect(validator.validate(token, exp)).resolves.toMatchObject({ exp: now() + 300 });
      expect(
        await refusal(await signIdToken({ ...ms, exp: now() + 300 }, bank), expectations()),
      ).toBe('id-token/not-yet-valid');
    });

    it('an expired millisecond exp is still refused', async () => {
      const token = await signIdToken(claims({ exp: (now() - 300) * 1000 }), bank);
      const exp = expectations({ quirks: { ...STANDARD_QUIRKS.idToken, expInMilliseconds: true } });
      expect(await refusal(token, exp)).toBe('id-token/expired');
    });

    it('no nonce from the token endpoint when the profile relaxes it', async () => {
      const token = await signIdToken(claims({ nonce: undefined }), bank);
      const exp = expectations({
        source: 'token',
        quirks: { ...STANDARD_QUIRKS.idToken, nonceOptional: true },
      });
      await expect(validator.validate(token, exp)).resolves.toMatchObject({ sub: INTENT });
    });

    it('no openbanking_intent_id when the profile relaxes it (either channel); refused otherwise', async () => {
      const token = await signIdToken(claims({ openbanking_intent_id: undefined }), bank);
      const relaxed = { ...STANDARD_QUIRKS.idToken, intentIdClaimOptional: true };
      await expect(
        validator.validate(token, expectations({ quirks: relaxed })),
      ).resolves.toMatchObject({ sub: INTENT });
      await expect(
        validator.validate(token, expectations({ quirks: relaxed, source: 'token' })),
      ).resolves.toBeDefined();
      expect(await refusal(token)).toBe('id-token/intent-id-mismatch');
    });

    it('an openbanking_intent_id the relaxed profile still checks: another consent is refused', async () => {
      const token = await signIdToken(claims({ openbanking_intent_id: 'aac-other' }), bank);
      const relaxed = { ...STANDARD_QUIRKS.idToken, intentIdClaimOptional: true };
      expect(await refusal(token, expectations({ quirks: relaxed }))).toBe(
        'id-token/intent-id-mismatch',
      );
    });

    it('the intent id with or without the profile prefix, and only with that prefix', async () => {
      const prefixed = await signIdToken(claims({ openbanking_intent_id: `pfx:${INTENT}` }), bank);
      const bare = await signIdToken(claims(), bank);
      const other = await signIdToken(claims({ openbanking_intent_id: `zzz:${INTENT}` }), bank);
      const exp = expectations({ intentIdPrefix: 'pfx:' });
      await expect(validator.validate(prefixed, exp)).resolves.toBeDefined();
      await expect(validator.validate(bare, exp)).resolves.toBeDefined();
      expect(await refusal(other, exp)).toBe('id-token/intent-id-mismatch');
      // Without the profile's prefix, the prefixed id is another consent.
      expect(await refusal(prefixed)).toBe('id-token/intent-id-mismatch');
    });

    it('the subject the profile names', async () => {
      const consent = { ...STANDARD_QUIRKS.idToken, subject: 'consent-id' as const };
      const client = { ...STANDARD_QUIRKS.idToken, subject: 'client-id' as const };
      const t1 = await signIdToken(claims({ sub: INTENT }), bank);
      const t2 = await signIdToken(claims({ sub: CLIENT }), bank);
      await expect(
        validator.validate(t1, expectations({ quirks: consent })),
      ).resolves.toBeDefined();
      await expect(validator.validate(t2, expectations({ quirks: client }))).resolves.toBeDefined();
    });

    it('a token just past exp within the clock tolerance, and one at the age limit', async () => {
      const t1 = await signIdToken(claims({ exp: now() - 30 }), bank);
      await expect(validator.validate(t1, expectations())).resolves.toBeDefined();
      const t2 = await signIdToken(claims({ iat: now() - 3600 }), bank);
      await expect(validator.validate(t2, expectations())).resolves.toBeDefined();
      const t3 = await signIdToken(claims({ iat: now() - 600 }), bank);
      expect(await refusal(t3, expectations({ maxAgeSeconds: 300 }))).toBe(
        'id-token/issued-too-long-ago',
      );
    });

    it('a rotated key after one JWKS refetch', async () => {
      await validator.validate(await signIdToken(claims(), bank), expectations());
      const next = await createSigningKey('bank-2');
      http.serve(JWKS_URI, { keys: [bank.jwk, next.jwk] });
      clock.advanceSeconds(31);
      await expect(
        validator.validate(await signIdToken(claims(), next), expectations()),
      ).resolves.toBeDefined();
      expect(http.callsTo(JWKS_URI)).toBe(2);
      clock.advanceSeconds(-31);
    });
  });

  it('puts no claim value or token in the error', async () => {
    const token = await signIdToken(claims({ nonce: 'secret-nonce-value' }), bank);
    const error = (await validator
      .validate(token, expectations())
      .catch((e: unknown) => e)) as DomainError;
    expect(JSON.stringify({ m: error.message, d: error.detail, e: error.extensions })).not.toMatch(
      /secret-nonce-value|nonce-789|eyJ/,
    );
  });

  it('computes OIDC half hashes as the spec defines them', () => {
    expect(oidcHalfHash(CODE)).toBe(halfHash(CODE));
    expect(Buffer.from(oidcHalfHash('x'), 'base64url')).toHaveLength(16);
  });
});
