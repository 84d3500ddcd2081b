import { createHash, generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { RandomSource } from '@obc/common';
import { createPkcePair, pkceChallengeOf } from './pkce';
import { buildRequestObject, RequestObjectInput } from './request-object';
import { ManualClock } from './testing/fapi-test-doubles';

class CountingRandom extends RandomSource {
  private n = 0;
  uuid(): string {
    this.n += 1;
    return `00000000-0000-4000-8000-${String(this.n).padStart(12, '0')}`;
  }
  token(bytes = 32): string {
    this.n += 1;
    return Buffer.alloc(bytes, this.n).toString('base64url');
  }
}

describe('createPkcePair', () => {
  it('makes a 43-character verifier and its S256 challenge', () => {
    const pair = createPkcePair(new CountingRandom());
    expect(pair.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const expected = createHash('sha256').update(pair.verifier).digest('base64url');
    expect(pair.challenge).toBe(expected);
    expect(pair.challenge).not.toBe(pair.verifier);
  });

  it('matches the RFC 7636 appendix B example', () => {
    expect(pkceChallengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });
});

describe('buildRequestObject', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 9, 30, 0));

  function input(overrides: Partial<RequestObjectInput> = {}): RequestObjectInput {
    return {
      clientId: 'client-abc',
      issuer: 'https://bank.example/as',
      responseType: 'code id_token',
      redirectUri: 'https://tpp.example/cb',
      scope: 'accounts',
      state: 'state-1',
      nonce: 'nonce-1',
      intentId: 'urn-alphabank-intent-58923',
      acrValues: ['urn:openbanking:psd2:sca', 'urn:openbanking:psd2:ca'],
      signingKey: { kid: 'sig-kid', privateKey },
      clock,
      random: new CountingRandom(),
      ...overrides,
    };
  }

  it('signs every claim with PS256 and the client key', async () => {
    const pkce = createPkcePair(new CountingRandom());
    const jwt = await buildRequestObject(input({ codeChallenge: pkce.challenge }));
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'PS256', kid: 'sig-kid' });
    const { payload } = await jwtVerify(jwt, publicKey, {
      algorithms: ['PS256'],
      issuer: 'client-abc',
      audience: 'https://bank.example/as',
      currentDate: clock.now(),
    });
    const iat = clock.nowSeconds();
    expect(payload).toEqual({
      iss: 'client-abc',
      aud: 'https://bank.example/as',
      response_type: 'code id_token',
      client_id: 'client-abc',
      redirect_uri: 'https://tpp.example/cb',
      scope: 'openid accounts',
      state: 'state-1',
      nonce: 'nonce-1',
      iat,
      nbf: iat,
      exp: iat + 300,
      jti: '00000000-0000-4000-8000-000000000001',
      claims: {
        id_token: {
          openbanking_intent_id: { value: 'urn-alphabank-intent-58923', essential: true },
          acr: { essential: true, values: ['urn:openbanking:psd2:sca', 'urn:openbanking:psd2:ca'] },
        },
        userinfo: {
          openbanking_intent_id: { value: 'urn-alphabank-intent-58923', essential: true },
        },
      },
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    });
    expect(payload.code_challenge).toBe(pkceChallengeOf(pkce.verifier));
    await expect(jwtVerify(jwt, other.publicKey, { currentDate: clock.now() })).rejects.toThrow();
  });

  it('uses the profile audience, keeps openid once, adds response_mode, omits PKCE', async () => {
    const jwt = await buildRequestObject(
      input({
        audience: 'https://bank.example',
        scope: 'payments openid',
        responseType: 'code',
        responseMode: 'query',
      }),
    );
    const { payload } = await jwtVerify(jwt, publicKey, { currentDate: clock.now() });
    expect(payload.aud).toBe('https://bank.example');
    expect(payload.scope).toBe('openid payments');
    expect(payload.response_type).toBe('code');
    expect(payload.response_mode).toBe('query');
    expect(payload).not.toHaveProperty('code_challenge');
    expect(payload).not.toHaveProperty('code_challenge_method');
  });

  it('writes the profile intentIdPrefix before the intent id in both claims', async () => {
    const jwt = await buildRequestObject(input({ intentIdPrefix: 'hsbc:' }));
    const { payload } = await jwtVerify(jwt, publicKey, { currentDate: clock.now() });
    const claims = payload.claims as Record<string, Record<string, { value?: string }>>;
    expect(claims.id_token.openbanking_intent_id.value).toBe('hsbc:urn-alphabank-intent-58923');
    expect(claims.userinfo.openbanking_intent_id.value).toBe('hsbc:urn-alphabank-intent-58923');
  });

  it('is refused once five minutes have passed', async () => {
    const jwt = await buildRequestObject(input());
    const later = new Date(clock.nowMs() + 301_000);
    await expect(jwtVerify(jwt, publicKey, { currentDate: later })).rejects.toThrow(/exp/);
  });
});
