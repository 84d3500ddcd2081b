import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'express';
import type { Provider, StoredAccessToken } from 'oidc-provider';
import { generateTestPki } from '../pki/generate-test-pki';
import { loadTestPki } from '../pki/load-test-pki';
import { certificateThumbprint } from '../tls/client-certificate';
import { AccessTokenError, AccessTokenVerifier } from './access-token-verifier';

describe('AccessTokenVerifier', () => {
  let dir: string;
  let cert: X509Certificate;
  let other: X509Certificate;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'atv-'));
    await generateTestPki(dir);
    const pki = await loadTestPki(dir);
    cert = new X509Certificate(pki.pem.tppTransport);
    other = new X509Certificate(pki.pem.bankServer);
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  function token(over: Partial<StoredAccessToken> = {}): StoredAccessToken {
    return {
      jti: 'at-1',
      clientId: 'client-1',
      accountId: 'aac-1',
      scope: 'openid accounts',
      exp: now() + 60,
      extra: { openbanking_intent_id: 'aac-1' },
      'x5t#S256': certificateThumbprint(cert),
      isSenderConstrained: () => true,
      ...over,
    };
  }

  function verifier(found?: StoredAccessToken, clientCredentials?: StoredAccessToken) {
    const provider = {
      AccessToken: { find: async (v: string) => (v === 'good' ? found : undefined) },
      ClientCredentials: {
        find: async (v: string) => (v === 'cc' ? clientCredentials : undefined),
      },
    } as unknown as Provider;
    return new AccessTokenVerifier(provider);
  }

  function req(bearer: string | undefined, presented: X509Certificate | null = cert): Request {
    return {
      headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
      socket: {
        authorized: presented !== null,
        getPeerX509Certificate: () => presented ?? undefined,
      },
    } as unknown as Request;
  }

  it('returns the consent, client and scopes of a bound, live token', async () => {
    await expect(verifier(token()).verify(req('good'))).resolves.toMatchObject({
      clientId: 'client-1',
      consentId: 'aac-1',
      grantType: 'authorization_code',
      scopes: ['openid', 'accounts'],
    });
    await expect(
      verifier(
        undefined,
        token({ accountId: undefined, extra: undefined, scope: 'accounts' }),
      ).verify(req('cc')),
    ).resolves.toMatchObject({ grantType: 'client_credentials', scopes: ['accounts'] });
  });

  it.each([
    ['no bearer token', undefined, 'mine', {}],
    ['an unknown token', 'nope', 'mine', {}],
    ['an expired token', 'good', 'mine', { exp: 1 }],
    ['no client certificate', 'good', 'none', {}],
    ['another certificate', 'good', 'other', {}],
    ['an unbound token', 'good', 'mine', { 'x5t#S256': undefined }],
  ] as const)('refuses %s with a 401 OB error', async (_name, bearer, which, over) => {
    const presented = which === 'mine' ? cert : which === 'other' ? other : null;
    const err = await verifier(token(over))
      .verify(req(bearer, presented))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AccessTokenError);
    expect((err as AccessTokenError).status).toBe(401);
    expect((err as AccessTokenError).body.Errors[0].ErrorCode).toBe('UK.OBIE.Header.Invalid');
  });
});
