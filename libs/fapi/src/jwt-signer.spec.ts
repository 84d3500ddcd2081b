import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { Clock, RandomSource } from '@obc/common';
import { CLIENT_ASSERTION_LIFETIME_SECONDS, createClientAssertion, signJwt } from './jwt-signer';

class FixedClock extends Clock {
  constructor(private ms: number) {
    super();
  }
  now(): Date {
    return new Date(this.ms);
  }
}

class CountingRandom extends RandomSource {
  private n = 0;
  uuid(): string {
    this.n += 1;
    return `00000000-0000-4000-8000-${String(this.n).padStart(12, '0')}`;
  }
  token(): string {
    return `t${++this.n}`;
  }
}

describe('signJwt', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

  it('signs PS256 with kid, typ and extra header members', async () => {
    const jwt = await signJwt(
      { hello: 'world' },
      { privateKey, kid: 'kid-1', typ: 'JWT', header: { crit: ['b64'], b64: true } },
    );
    const header = decodeProtectedHeader(jwt);
    expect(header).toMatchObject({ alg: 'PS256', kid: 'kid-1', typ: 'JWT' });
    const { payload } = await jwtVerify(jwt, publicKey, {
      algorithms: ['PS256'],
      crit: { b64: true },
    });
    expect(payload.hello).toBe('world');
    await expect(jwtVerify(jwt, other.publicKey, { crit: { b64: true } })).rejects.toThrow();
  });

  it('does not let the extra header override alg or kid', async () => {
    const jwt = await signJwt(
      {},
      { privateKey, kid: 'real', header: { alg: 'none', kid: 'fake' } },
    );
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'PS256', kid: 'real' });
  });
});

describe('createClientAssertion', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  it('makes a private_key_jwt assertion the token endpoint can verify', async () => {
    const clock = new FixedClock(Date.UTC(2026, 0, 1, 12, 0, 0));
    const random = new CountingRandom();
    const input = {
      clientId: 'client-123',
      audience: 'https://bank.example/token',
      key: privateKey,
      kid: 'sig-1',
      clock,
      random,
    };
    const jwt = await createClientAssertion(input);
    const { payload, protectedHeader } = await jwtVerify(jwt, publicKey, {
      algorithms: ['PS256'],
      audience: 'https://bank.example/token',
      issuer: 'client-123',
      subject: 'client-123',
      currentDate: clock.now(),
    });
    expect(protectedHeader).toMatchObject({ alg: 'PS256', kid: 'sig-1' });
    expect(payload.iat).toBe(clock.nowSeconds());
    expect(payload.exp).toBe(clock.nowSeconds() + CLIENT_ASSERTION_LIFETIME_SECONDS);
    expect(payload.jti).toBe('00000000-0000-4000-8000-000000000001');
    const second = await jwtVerify(await createClientAssertion(input), publicKey, {
      currentDate: clock.now(),
    });
    expect(second.payload.jti).not.toBe(payload.jti);
  });
});
