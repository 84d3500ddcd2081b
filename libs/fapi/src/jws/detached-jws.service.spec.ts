import { CompactSign } from 'jose';
import { DEFAULT_MESSAGE_SIGNING, type BankProfile } from '@obc/bank-profiles';
import { BankCallError } from '@obc/common';
import { KeyStore } from '../key-store';
import { JwksCache } from '../jwks.cache';
import { createSigningKey, FakeJwksHttp, ManualClock } from '../testing/fapi-test-doubles';
import { DetachedJwsService } from './detached-jws.service';
import { DetachedJwsError } from './detached-jws.error';
import {
  OB_CRIT_HEADERS,
  OB_CRIT_OPTION,
  OB_IAT_HEADER,
  OB_ISS_HEADER,
  OB_TAN_HEADER,
} from './detached-jws.constants';

const JWKS_URI = 'https://bank.example/jwks';
const BODY = '{"Data":{"ConsentId":"c-1"}}';

describe('DetachedJwsService', () => {
  it('signs with a PEM key and verifies through the JWKS cache by kid', async () => {
    const key = await createSigningKey('k-1');
    const http = new FakeJwksHttp().serve(JWKS_URI, { keys: [key.jwk] });
    const clock = new ManualClock(Date.UTC(2025, 0, 15));
    const service = new DetachedJwsService(
      new KeyStore(),
      new JwksCache(http.asClient(), clock),
      clock,
    );
    const pem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

    const jws = await service.sign({
      payload: BODY,
      signingKey: { kid: 'k-1', privateKeyPem: pem },
      organisationId: 'org',
      softwareStatementId: 'ssa',
    });
    const expected = { profileId: 'bank', jwksUri: JWKS_URI, expectedIssuer: 'org/ssa' };

    await expect(service.verifyBankSignature(jws, BODY, expected)).resolves.toMatchObject({
      kid: 'k-1',
      issuer: 'org/ssa',
    });
    expect(http.calls[0]).toMatchObject({ profileId: 'bank', url: JWKS_URI, endpoint: 'jwks' });
    await expect(service.verifyBankSignature(jws, `${BODY} `, expected)).rejects.toBeInstanceOf(
      DetachedJwsError,
    );
  });
});

describe('DetachedJwsService.verifyBankResponse', () => {
  const NOW = Date.UTC(2025, 0, 15);
  const BANK_ORG = '0015800001041BANK';

  /** Signs a response body the way a bank does: iss is its organisation id. */
  async function bankSignature(
    key: Awaited<ReturnType<typeof createSigningKey>>,
    payload: string,
    header: Record<string, unknown> = {},
  ): Promise<string> {
    const compact = await new CompactSign(new TextEncoder().encode(payload))
      .setProtectedHeader({
        alg: 'PS256',
        kid: key.jwk.kid,
        crit: [...OB_CRIT_HEADERS],
        [OB_IAT_HEADER]: Math.floor(NOW / 1000),
        [OB_ISS_HEADER]: BANK_ORG,
        [OB_TAN_HEADER]: 'openbanking.org.uk',
        ...header,
      })
      .sign(key.privateKey, { crit: OB_CRIT_OPTION });
    const [protectedPart, , signature] = compact.split('.');
    return `${protectedPart}..${signature}`;
  }

  async function setup(messageSigning: Partial<BankProfile['messageSigning']> = {}) {
    const key = await createSigningKey('bank-k1');
    const http = new FakeJwksHttp()
      .serve(JWKS_URI, { keys: [key.jwk] })
      .serve('https://keystore.example/bank.jwks', { keys: [key.jwk] });
    const clock = new ManualClock(NOW);
    const service = new DetachedJwsService(
      new KeyStore(),
      new JwksCache(http.asClient(), clock),
      clock,
    );
    const profile = {
      id: 'bank',
      financialId: BANK_ORG,
      messageSigning: {
        ...DEFAULT_MESSAGE_SIGNING,
        verifyResponseSignatures: true,
        ...messageSigning,
      },
    };
    const check = (headers: Record<string, string>, rawBody = BODY) =>
      service.verifyBankResponse({
        profile,
        discoveredJwksUri: JWKS_URI,
        endpoint: 'pisp.payment.create',
        method: 'POST',
        response: { status: 201, headers, rawBody, interactionId: 'ia-1' },
      });
    return { key, http, check };
  }

  async function refusal(p: Promise<unknown>): Promise<BankCallError> {
    const error = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BankCallError);
    return error as BankCallError;
  }

  it('does nothing when the profile does not verify (the default), not even fetch keys', async () => {
    const { http, check } = await setup({ verifyResponseSignatures: false });
    await expect(check({})).resolves.toBeUndefined();
    expect(http.calls).toHaveLength(0);
  });

  it("accepts the bank's signature over the exact body, with keys from the discovered JWKS", async () => {
    const { key, http, check } = await setup();
    await expect(
      check({ 'x-jws-signature': await bankSignature(key, BODY) }),
    ).resolves.toBeUndefined();
    expect(http.calls[0]).toMatchObject({ url: JWKS_URI, endpoint: 'jwks' });
  });

  it('uses messageSigning.jwksUrl over the discovered JWKS, and messageSigning.issuer', async () => {
    const { key, http, check } = await setup({
      jwksUrl: 'https://keystore.example/bank.jwks',
      issuer: 'bank-signer',
    });
    const sig = await bankSignature(key, BODY, { [OB_ISS_HEADER]: 'bank-signer' });
    await expect(check({ 'x-jws-signature': sig })).resolves.toBeUndefined();
    expect(http.calls.map((c) => c.url)).toEqual(['https://keystore.example/bank.jwks']);
  });

  it('refuses a missing, altered, foreign or malformed signature with bank/response-signature-invalid', async () => {
    const { key, check } = await setup();
    const good = await bankSignature(key, BODY);
    const other = await createSigningKey('bank-k1');
    const cases: [Record<string, string>, string, RegExp][] = [
      [{}, BODY, /no x-jws-signature/],
      [{ 'x-jws-signature': good }, `${BODY} `, /does not verify/],
      [{ 'x-jws-signature': await bankSignature(other, BODY) }, BODY, /does not verify/],
      [
        { 'x-jws-signature': await bankSignature(key, BODY, { [OB_ISS_HEADER]: 'someone' }) },
        BODY,
        /iss' is 'someone', expected '0015800001041BANK'/,
      ],
      [{ 'x-jws-signature': 'not-a-jws' }, BODY, /not a JWS/],
    ];
    for (const [headers, body, reason] of cases) {
      const error = await refusal(check(headers, body));
      expect(error.code).toBe('bank/response-signature-invalid');
      expect(error.kind).toBe('bank-failure');
      expect(error.detail).toMatch(reason);
      expect(error.detail).toMatch(/same Idempotency-Key/);
      expect(error.bank).toEqual({
        status: 201,
        endpoint: 'pisp.payment.create',
        method: 'POST',
        interactionId: 'ia-1',
        body: null,
      });
    }
  });

  it('accepts a replayed first answer signed hours ago', async () => {
    const { key, check } = await setup();
    const old = await bankSignature(key, BODY, {
      [OB_IAT_HEADER]: Math.floor(NOW / 1000) - 6 * 3600,
    });
    await expect(check({ 'x-jws-signature': old })).resolves.toBeUndefined();
  });
});
