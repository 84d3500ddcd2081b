import { parseDcrResponse } from './dcr-response.parser';

describe('parseDcrResponse', () => {
  const body = {
    client_id: 'client-1',
    client_secret: 's3cret',
    registration_access_token: 'rat',
    client_id_issued_at: 1_700_000_000,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: 'openid accounts',
    redirect_uris: ['https://tpp.example/cb'],
  };

  it('separates the secrets from the stored response', () => {
    const parsed = parseDcrResponse(body, { clientIdIssuedAtUnit: 'seconds' });
    expect(parsed).toMatchObject({
      clientId: 'client-1',
      clientSecret: 's3cret',
      registrationAccessToken: 'rat',
      clientIdIssuedAt: 1_700_000_000,
      tokenEndpointAuthMethod: 'private_key_jwt',
      scopes: ['openid', 'accounts'],
    });
    expect(parsed.stored).not.toHaveProperty('client_secret');
    expect(parsed.stored).not.toHaveProperty('registration_access_token');
    expect(parsed.stored).toMatchObject({
      client_id: 'client-1',
      redirect_uris: ['https://tpp.example/cb'],
    });
  });

  it('reads client_id_issued_at in milliseconds when the profile says so, storing seconds', () => {
    const parsed = parseDcrResponse(
      { ...body, client_id_issued_at: 1_700_000_000_123 },
      { clientIdIssuedAtUnit: 'milliseconds' },
    );
    expect(parsed.clientIdIssuedAt).toBe(1_700_000_000);
    expect(parsed.stored.client_id_issued_at).toBe(1_700_000_000);
  });

  it('accepts an array scope and no secrets', () => {
    const parsed = parseDcrResponse(
      { client_id: 'c', scope: ['openid', 'payments'] },
      { clientIdIssuedAtUnit: 'seconds' },
    );
    expect(parsed).toMatchObject({
      clientSecret: null,
      registrationAccessToken: null,
      scopes: ['openid', 'payments'],
      clientIdIssuedAt: null,
    });
  });

  it('rejects a response without client_id as a bank failure', () => {
    expect(() =>
      parseDcrResponse({ client_secret: 'x' }, { clientIdIssuedAtUnit: 'seconds' }),
    ).toThrow(
      expect.objectContaining({ code: 'bank-registration/invalid-response', kind: 'bank-failure' }),
    );
    expect(() => parseDcrResponse('text', { clientIdIssuedAtUnit: 'seconds' })).toThrow(
      expect.objectContaining({ code: 'bank-registration/invalid-response' }),
    );
  });
});
