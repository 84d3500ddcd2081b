import { generateKeyPairSync } from 'node:crypto';
import { exportJWK, SignJWT, jwtVerify } from 'jose';
import { CryptoRandomSource, DomainError } from '@obc/common';
import { BankHttpClient } from '@obc/bank-http';
import { createTestPki } from '../../bank-http/src/testing/test-pki';
import { startLocalHttpsServer } from '../../bank-http/src/testing/local-https-server';
import { JWKS_MIN_REFETCH_INTERVAL_MS, JWKS_TTL_MS, JwksCache } from './jwks.cache';
import {
  createSigningKey,
  FakeJwksHttp,
  ManualClock,
  TestSigningKey,
} from './testing/fapi-test-doubles';

const URI = 'https://bank.example/jwks';

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
}

async function verifiesWith(key: Awaited<ReturnType<JwksCache['getKey']>>, signer: TestSigningKey) {
  const jwt = await new SignJWT({ x: 1 })
    .setProtectedHeader({ alg: 'PS256' })
    .sign(signer.privateKey);
  await expect(jwtVerify(jwt, key, { algorithms: ['PS256'] })).resolves.toBeDefined();
}

describe('JwksCache', () => {
  let a: TestSigningKey;
  let b: TestSigningKey;
  beforeAll(async () => {
    a = await createSigningKey('kid-a');
    b = await createSigningKey('kid-b');
  });

  function setup(keys: unknown[]) {
    const http = new FakeJwksHttp().serve(URI, { keys });
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const cache = new JwksCache(http.asClient(), clock);
    return { http, clock, cache };
  }

  it('fetches once through the bank client and serves the imported key from cache', async () => {
    const { http, cache } = setup([a.jwk, b.jwk]);
    const key = await cache.getKey({
      profileId: 'p',
      jwksUri: URI,
      kid: 'kid-b',
      trustedCaPem: 'CA',
    });
    await verifiesWith(key, b);
    expect(await cache.getKey({ profileId: 'p', jwksUri: URI, kid: 'kid-b' })).toBe(key);
    await cache.getKey({ profileId: 'p', jwksUri: URI, kid: 'kid-a' });
    expect(http.calls).toHaveLength(1);
    expect(http.calls[0]).toMatchObject({
      profileId: 'p',
      endpoint: 'jwks',
      method: 'GET',
      url: URI,
      trustedCaPem: 'CA',
    });
  });

  it('refetches once on an unknown kid (rotation) and finds the new key', async () => {
    const { http, clock, cache } = setup([a.jwk]);
    await cache.getKey({ profileId: 'p', jwksUri: URI, kid: 'kid-a' });
    clock.advanceSeconds(31);
    http.serve(URI, { keys: [a.jwk, b.jwk] });
    await verifiesWith(await cache.getKey({ profileId: 'p', jwksUri: URI, kid: 'kid-b' }), b);
    expect(http.callsTo(URI)).toBe(2);
  });

  it('refetches only once for a forged kid and not again within the interval', async () => {
    const { http, clock, cache } = setup([a.jwk]);
    await cache.getKey({ profileId: 'p', jwksUri: URI, kid: 'kid-a' });
    clock.advanceSeconds(60);
    await expectCode(
      cache.getKey({ profileId: 'p', jwksUri: URI, kid: 'forged' }),
      'jwks/unknown-key',
    );
    expect(http.callsTo(URI)).toBe(2);
    for (let i = 0; i < 5; i++) {
      clock.advanceSeconds(1);
      await expectCode(
        cache.getKey({ profileId: 'p', jwksUri: URI, kid: `forged-${i}` }),
        'jwks/unknown-key',
      );
    }
    expect(http.callsTo(URI)).toBe(2);
    clock.ms += JWKS_MIN_REFETCH_INTERVAL_MS;
    await expectCode(
      cache.getKey({ profileId: 'p', jwksUri: URI, kid: 'forged' }),
      'jwks/unknown-key',
    );
    expect(http.callsTo(URI)).toBe(3);
  });

  it('shares one fetch between concurrent lookups', async () => {
    const { http, cache } = setup([a.jwk, b.jwk]);
    await Promise.all([
      cache.getKey({ profileId: 'p', jwksUri: URI, kid: 'kid-a' }),
      cache.getKey({ profileId: 'p', jwksUri: URI, kid: 'kid-b' }),
      cache.getKey({ profileId: 'p', jwksUri: URI, kid: 'kid-a' }),
    ]);
    expect(http.callsTo(URI)).toBe(1);
  });

  it('fetches again after an hour and caches per URI', async () => {
    const { http, clock, cache } = setup([a.jwk]);
    const other = 'https://other.example/jwks';
    http.serve(other, { keys: [b.jwk] });
    await cache.getKey({ profileId: 'p', jwksUri: URI, kid: 'kid-a' });
    await cache.getKey({ profileId: 'q', jwksUri: other, kid: 'kid-b' });
    await expectCode(
      cache.getKey({ profileId: 'q', jwksUri: other, kid: 'kid-a' }),
      'jwks/unknown-key',
    );
    clock.ms += JWKS_TTL_MS;
    await cache.getKey({ profileId: 'p', jwksUri: URI, kid: 'kid-a' });
    expect(http.callsTo(URI)).toBe(2);
    expect(http.callsTo(other)).toBe(1);
  });

  it('keeps only public RSA signing keys (no enc, EC, other alg or private members)', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecJwk = { ...(await exportJWK(ec.publicKey)), kid: 'ec', use: 'sig' };
    const priv = { ...(await exportJWK(a.privateKey)), kid: 'private' };
    const { cache } = setup([
      { ...a.jwk, kid: 'enc', use: 'enc' },
      { ...a.jwk, kid: 'rs256', alg: 'RS256' },
      { ...a.jwk, kid: 'ps256', alg: 'PS256' },
      { ...a.jwk, kid: 'no-use', use: undefined },
      ecJwk,
      priv,
    ]);
    for (const kid of ['enc', 'rs256', 'ec', 'private']) {
      await expectCode(cache.getKey({ profileId: 'p', jwksUri: URI, kid }), 'jwks/unknown-key');
    }
    await verifiesWith(await cache.getKey({ profileId: 'p', jwksUri: URI, kid: 'ps256' }), a);
    await verifiesWith(await cache.getKey({ profileId: 'p', jwksUri: URI, kid: 'no-use' }), a);
  });

  it('uses the only key when the token names no kid, and refuses to guess among several', async () => {
    const one = setup([a.jwk]);
    await verifiesWith(await one.cache.getKey({ profileId: 'p', jwksUri: URI }), a);
    const two = setup([a.jwk, b.jwk]);
    await expectCode(two.cache.getKey({ profileId: 'p', jwksUri: URI }), 'jwks/unknown-key');
  });

  it('refuses a body that is not a JWK set', async () => {
    const http = new FakeJwksHttp().serve(URI, { nope: [] });
    const cache = new JwksCache(http.asClient(), new ManualClock(0));
    await expectCode(cache.getKey({ profileId: 'p', jwksUri: URI, kid: 'x' }), 'jwks/invalid');
  });

  it('fetches from a real HTTPS endpoint trusting the bank CA given', async () => {
    const pki = await createTestPki();
    const server = await startLocalHttpsServer(pki);
    try {
      server.setHandler((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/jwk-set+json' });
        res.end(JSON.stringify({ keys: [a.jwk] }));
      });
      const http = new BankHttpClient(new CryptoRandomSource());
      const cache = new JwksCache(http, new ManualClock(Date.now()));
      const jwksUri = `${server.url}/jwks`;
      await expectCode(cache.getKey({ profileId: 'p', jwksUri, kid: 'kid-a' }), 'bank/tls-failure');
      const key = await cache.getKey({
        profileId: 'p',
        jwksUri,
        kid: 'kid-a',
        trustedCaPem: pki.caPem,
      });
      await verifiesWith(key, a);
      expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /jwks']);
      await http.onModuleDestroy();
    } finally {
      await server.close();
    }
  });
});
