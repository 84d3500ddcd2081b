import {
  buildOAuth2AuthorisationUrl,
  encodeQueryInOneParameter,
  oauth2AuthorisationParameters,
  type OAuth2AuthorisationParams,
} from './oauth2-authorisation-url';

const PARAMS: OAuth2AuthorisationParams = {
  clientId: 'client-1',
  redirectUri: 'https://tpp.example/callback',
  scope: 'accounts offline',
  state: 'st-1',
  codeChallenge: 'chal-1',
  extraParameters: { login_hint: 'coop' },
  consent: { parameter: 'display', id: 'AAC_123' },
};

describe('plain OAuth 2 authorisation URL (quirks.authorisation.protocol oauth2)', () => {
  it('writes a code request with PKCE, the extra parameters and the consent, and nothing of OIDC', () => {
    const url = new URL(buildOAuth2AuthorisationUrl('https://bank.example/oauthRedirect', PARAMS));
    expect([...url.searchParams]).toEqual([
      ['response_type', 'code'],
      ['client_id', 'client-1'],
      ['redirect_uri', 'https://tpp.example/callback'],
      ['scope', 'accounts offline'],
      ['state', 'st-1'],
      ['code_challenge_method', 'S256'],
      ['code_challenge', 'chal-1'],
      ['login_hint', 'coop'],
      ['display', 'AAC_123'],
    ]);
    for (const oidc of ['request', 'nonce', 'claims', 'response_mode'])
      expect(url.searchParams.has(oidc)).toBe(false);
  });

  it('leaves PKCE out when the bank takes none, and never lets an extra parameter replace ours', () => {
    const pairs = oauth2AuthorisationParameters({
      ...PARAMS,
      codeChallenge: undefined,
      extraParameters: { state: 'forged', display: 'other', login_hint: 'smile' },
    });
    expect(pairs.filter(([n]) => n === 'state')).toEqual([['state', 'st-1']]);
    expect(pairs.filter(([n]) => n === 'display')).toEqual([['display', 'AAC_123']]);
    expect(pairs.some(([n]) => n.startsWith('code_challenge'))).toBe(false);
  });

  it("puts the whole unencoded query in the one base64url parameter (the Co-operative Bank's data)", () => {
    const url = new URL(
      buildOAuth2AuthorisationUrl('https://bank.example/oauthRedirect', PARAMS, 'data'),
    );
    expect([...url.searchParams.keys()]).toEqual(['data']);
    const inner = Buffer.from(url.searchParams.get('data') as string, 'base64url').toString();
    // As finlabsuk/open-banking-connector writes it: values bare, scope words joined by '+'.
    expect(inner).toBe(
      'response_type=code&client_id=client-1&redirect_uri=https://tpp.example/callback' +
        '&scope=accounts+offline&state=st-1&code_challenge_method=S256&code_challenge=chal-1' +
        '&login_hint=coop&display=AAC_123',
    );
    expect(url.searchParams.get('data')).not.toMatch(/[=+/]/);
    expect(Object.fromEntries(new URLSearchParams(inner))).toMatchObject({
      scope: 'accounts offline',
      redirect_uri: 'https://tpp.example/callback',
    });
  });

  it('percent-encodes only what would split the query differently', () => {
    const inner = Buffer.from(
      encodeQueryInOneParameter([
        ['redirect_uri', 'https://tpp.example/cb?a=1&b=2#x'],
        ['client_id', 'a+b%c d'],
      ]),
      'base64url',
    ).toString();
    expect(inner).toBe(
      'redirect_uri=https://tpp.example/cb?a%3D1%26b%3D2%23x&client_id=a%2Bb%25c%20d',
    );
    expect(Object.fromEntries(new URLSearchParams(inner))).toEqual({
      redirect_uri: 'https://tpp.example/cb?a=1&b=2#x',
      client_id: 'a+b%c d',
    });
  });
});
