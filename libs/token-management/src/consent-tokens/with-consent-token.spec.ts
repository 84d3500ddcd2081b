import { BankCallError } from '@obc/common';
import { strictMock } from '@obc/test-support/strict-mock';
import type { ClientContext } from '../client-context';
import type { ConsentRef } from './consent-ref';
import type { ConsentTokenService } from './consent-token.service';
import { withConsentToken } from './with-consent-token';

const ref: ConsentRef = {
  consentType: 'domestic-vrp',
  consentId: '33333333-3333-4333-8333-333333333333',
};

function clientContext(): ClientContext {
  return {
    registrationId: '11111111-1111-4111-8111-111111111111',
    profileId: 'test-bank',
    clientId: 'client-1',
    authMethod: 'tls_client_auth',
    tokenEndpoint: 'https://auth.test-bank.example/token',
    issuer: 'https://auth.test-bank.example',
    transport: { id: 'wac-1', certificatePem: 'CERT', privateKeyPem: 'KEY' },
    signingKey: { kid: 'kid-1', privateKeyPem: 'SEAL' },
    financialId: '0015800001041TEST',
  };
}

function bankError(status: number): BankCallError {
  return new BankCallError('bank/request-rejected', 'unprocessable', 'refused', {
    status,
    endpoint: 'vrp.payment.create',
    method: 'POST',
    interactionId: 'ia',
    body: null,
  });
}

function tokens() {
  let n = 0;
  return strictMock<ConsentTokenService>({
    getAccessToken: jest.fn(async () => `token-${++n}`),
    invalidate: jest.fn(async () => undefined),
  });
}

describe('withConsentToken', () => {
  it("calls with the consent's token", async () => {
    const t = tokens();
    const call = jest.fn(async (token: string) => `paid with ${token}`);
    expect(await withConsentToken(t, ref, clientContext(), call)).toBe('paid with token-1');
    expect(t.getAccessToken).toHaveBeenCalledWith(ref, clientContext());
    expect(t.invalidate).not.toHaveBeenCalled();
  });

  it('on a 401 retires that token and tries once more with a fresh one', async () => {
    const t = tokens();
    const call = jest
      .fn<Promise<string>, [string]>()
      .mockRejectedValueOnce(bankError(401))
      .mockResolvedValueOnce('ok');
    expect(await withConsentToken(t, ref, clientContext(), call)).toBe('ok');
    expect(t.invalidate).toHaveBeenCalledWith(ref, 'token-1');
    expect(call.mock.calls).toEqual([['token-1'], ['token-2']]);
  });

  it('does not retry other refusals (a limit breach is final)', async () => {
    const t = tokens();
    const refusal = bankError(400);
    const call = jest.fn<Promise<string>, [string]>().mockRejectedValue(refusal);
    await expect(withConsentToken(t, ref, clientContext(), call)).rejects.toBe(refusal);
    expect(call).toHaveBeenCalledTimes(1);
    expect(t.invalidate).not.toHaveBeenCalled();
  });

  it('a second 401 is surfaced', async () => {
    const t = tokens();
    const call = jest.fn<Promise<string>, [string]>().mockRejectedValue(bankError(401));
    await expect(withConsentToken(t, ref, clientContext(), call)).rejects.toBeInstanceOf(
      BankCallError,
    );
    expect(call).toHaveBeenCalledTimes(2);
  });
});
