import { KeyStore } from '../key-store';
import { JwksCache } from '../jwks.cache';
import { createSigningKey, FakeJwksHttp, ManualClock } from '../testing/fapi-test-doubles';
import { DetachedJwsService } from './detached-jws.service';
import { DetachedJwsError } from './detached-jws.error';

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
