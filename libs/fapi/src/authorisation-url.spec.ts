import { buildAuthorisationUrl } from './authorisation-url';

describe('buildAuthorisationUrl', () => {
  it('puts the request object and the redundant parameters in the query', () => {
    const url = new URL(
      buildAuthorisationUrl('https://bank.example/auth?tenant=retail', {
        clientId: 'client-abc',
        request: 'eyJ.req.sig',
        responseType: 'code id_token',
        scope: 'accounts',
        redirectUri: 'https://tpp.example/cb?x=1',
        state: 'st&=1',
        nonce: 'n-1',
        responseMode: 'fragment',
        codeChallenge: 'chal',
      }),
    );
    expect(url.origin + url.pathname).toBe('https://bank.example/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      tenant: 'retail',
      client_id: 'client-abc',
      response_type: 'code id_token',
      scope: 'openid accounts',
      request: 'eyJ.req.sig',
      redirect_uri: 'https://tpp.example/cb?x=1',
      state: 'st&=1',
      nonce: 'n-1',
      response_mode: 'fragment',
      code_challenge: 'chal',
      code_challenge_method: 'S256',
    });
  });

  it('sends only what OIDC requires outside the object when nothing else is given', () => {
    const url = new URL(
      buildAuthorisationUrl('https://bank.example/auth', {
        clientId: 'c',
        request: 'r',
        responseType: 'code',
        scope: 'openid payments',
      }),
    );
    expect([...url.searchParams.keys()].sort()).toEqual([
      'client_id',
      'request',
      'response_type',
      'scope',
    ]);
    expect(url.searchParams.get('scope')).toBe('openid payments');
  });

  it('replaces a same-named parameter the endpoint already carries', () => {
    const url = new URL(
      buildAuthorisationUrl('https://bank.example/auth?client_id=evil', {
        clientId: 'good',
        request: 'r',
        responseType: 'code',
        scope: 'openid',
      }),
    );
    expect(url.searchParams.getAll('client_id')).toEqual(['good']);
  });
});
