import { Logger } from '@nestjs/common';
import { BankHttpClient } from '@obc/bank-http';
import { CryptoRandomSource, DomainError } from '@obc/common';
import {
  LocalHttpsServer,
  startLocalHttpsServer,
} from '../../bank-http/src/testing/local-https-server';
import { createTestPki, TestPki } from '../../bank-http/src/testing/test-pki';
import { DiscoveryService, wellKnownUrlFor } from './discovery.service';
import { effectiveEndpoint, effectiveTokenEndpoint, parseOpenIdMetadata } from './openid-metadata';
import { ManualClock } from './testing/manual-clock';

const metadataFor = (base: string): Record<string, unknown> => ({
  issuer: base,
  token_endpoint: `${base}/token`,
  jwks_uri: `${base}/jwks`,
  authorization_endpoint: `${base}/auth`,
  registration_endpoint: `${base}/register`,
  token_endpoint_auth_methods_supported: ['tls_client_auth', 'private_key_jwt'],
  mtls_endpoint_aliases: { token_endpoint: `${base}/mtls/token` },
  claims_supported: ['openbanking_intent_id'],
});

describe('DiscoveryService', () => {
  let pki: TestPki;
  let server: LocalHttpsServer;
  let http: BankHttpClient;
  let clock: ManualClock;
  let service: DiscoveryService;
  let served: number;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    pki = await createTestPki();
    server = await startLocalHttpsServer(pki);
  });

  afterAll(async () => {
    await server.close();
  });

  beforeEach(() => {
    served = 0;
    server.requests.length = 0;
    server.setHandler((req, res) => {
      served++;
      if (req.url === '/.well-known/openid-configuration' || req.url === '/custom/discovery') {
        setTimeout(
          () =>
            res
              .writeHead(200, { 'content-type': 'application/json' })
              .end(JSON.stringify(metadataFor(server.url))),
          50,
        );
      } else {
        res.writeHead(404).end();
      }
    });
    clock = new ManualClock();
    http = new BankHttpClient(new CryptoRandomSource(), { timeoutMs: 5_000 });
    service = new DiscoveryService(http, clock, {
      earlyExpirySeconds: 30,
      discoveryCacheSeconds: 3600,
    });
  });

  afterEach(() => http.onModuleDestroy());

  const request = () => ({
    profileId: 'bank-a',
    issuerUrl: `${server.url}/`,
    trustedCaPem: pki.caPem,
  });

  it('fetches, validates and types the well-known document under the issuer', async () => {
    const metadata = await service.getMetadata(request());
    expect(server.requests[0].url).toBe('/.well-known/openid-configuration');
    expect(metadata.token_endpoint).toBe(`${server.url}/token`);
    expect(metadata.registration_endpoint).toBe(`${server.url}/register`);
    expect(metadata.token_endpoint_auth_methods_supported).toEqual([
      'tls_client_auth',
      'private_key_jwt',
    ]);
    expect(metadata.raw.claims_supported).toEqual(['openbanking_intent_id']);
    expect(effectiveTokenEndpoint(metadata)).toBe(`${server.url}/mtls/token`);
    expect(effectiveTokenEndpoint(metadata, false)).toBe(`${server.url}/token`);
    expect(effectiveEndpoint(metadata, 'registration_endpoint')).toBe(`${server.url}/register`);
  });

  it('uses an explicit well-known URL when the profile gives one', async () => {
    await service.getMetadata({ ...request(), wellKnownUrl: `${server.url}/custom/discovery` });
    expect(server.requests[0].url).toBe('/custom/discovery');
  });

  it('caches per profile for the configured time; concurrent callers share one fetch', async () => {
    const all = await Promise.all(Array.from({ length: 5 }, () => service.getMetadata(request())));
    expect(served).toBe(1);
    expect(new Set(all).size).toBe(1);
    await service.getMetadata({ ...request(), profileId: 'bank-b' });
    expect(served).toBe(2);
    clock.advanceSeconds(3599);
    await service.getMetadata(request());
    expect(served).toBe(2);
    clock.advanceSeconds(1);
    await service.getMetadata(request());
    expect(served).toBe(3);
    service.invalidate('bank-a');
    await service.getMetadata(request());
    expect(served).toBe(4);
  });

  describe('profile discovery quirks', () => {
    const serve = (doc: Record<string, unknown>): void =>
      server.setHandler((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
      });

    it('supplies members the bank omits from metadataOverrides (discovery.metadataOverrides)', async () => {
      serve({ ...metadataFor(server.url), registration_endpoint: undefined, jwks_uri: undefined });
      await expect(service.getMetadata(request())).rejects.toMatchObject({
        code: 'discovery/invalid-metadata',
      });
      const metadata = await service.getMetadata({
        ...request(),
        metadataOverrides: {
          registration_endpoint: `${server.url}/dcr/register`,
          jwks_uri: `${server.url}/keys`,
        },
      });
      expect(metadata.registration_endpoint).toBe(`${server.url}/dcr/register`);
      expect(metadata.jwks_uri).toBe(`${server.url}/keys`);
      expect(metadata.token_endpoint).toBe(`${server.url}/token`);
    });

    it('still validates overridden members (an http endpoint is refused)', async () => {
      serve(metadataFor(server.url));
      await expect(
        service.getMetadata({
          ...request(),
          metadataOverrides: { token_endpoint: 'http://bank.example/token' },
        }),
      ).rejects.toMatchObject({ code: 'discovery/invalid-metadata' });
    });

    it('refuses an issuer other than issuerUrl unless the profile accepts the mismatch', async () => {
      serve({ ...metadataFor(server.url), issuer: `${server.url}/oidc` });
      await expect(service.getMetadata(request())).rejects.toMatchObject({
        code: 'discovery/issuer-mismatch',
      });
      const metadata = await service.getMetadata({ ...request(), acceptIssuerMismatch: true });
      expect(metadata.issuer).toBe(`${server.url}/oidc`);
    });

    it('treats a trailing slash alone as the same issuer', async () => {
      serve({ ...metadataFor(server.url), issuer: `${server.url}/` });
      await expect(service.getMetadata(request())).resolves.toMatchObject({
        issuer: `${server.url}/`,
      });
    });
  });

  it('does not cache a failed fetch', async () => {
    server.setHandler((_req, res) => {
      served++;
      res.writeHead(503).end();
    });
    await expect(service.getMetadata(request())).rejects.toMatchObject({
      code: 'bank/server-error',
    });
    // The bank client tries a GET three times (its default call policy) before giving up.
    expect(served).toBe(3);
    server.setHandler((_req, res) => {
      served++;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(metadataFor(server.url)));
    });
    await expect(service.getMetadata(request())).resolves.toMatchObject({ issuer: server.url });
    expect(served).toBe(4);
  });

  it("discovery.mode 'none': fetches nothing, the profile's members are the metadata", async () => {
    const members = {
      issuer: 'https://as.bank.example',
      authorization_endpoint: 'https://bank.example/openbanking/coop/oauthRedirect',
      token_endpoint: 'https://as.bank.example/oauth2/token',
    };
    const metadata = await service.getMetadata({
      ...request(),
      mode: 'none',
      metadataOverrides: members,
      jwksUriOptional: true,
    });
    expect(served).toBe(0);
    expect(metadata).toMatchObject(members);
    expect(metadata.jwks_uri).toBeUndefined();
    // The issuer is the profile's own: nothing to compare with issuerUrl.
    expect(metadata.issuer).not.toBe(request().issuerUrl);
  });

  it("discovery.mode 'none': checks the members like a served document", async () => {
    const incomplete = service.getMetadata({
      ...request(),
      mode: 'none',
      metadataOverrides: { issuer: 'https://as.bank.example', token_endpoint: 'http://plain' },
    });
    await expect(incomplete).rejects.toMatchObject({ code: 'discovery/invalid-metadata' });
    await expect(incomplete).rejects.toThrow(/token_endpoint .*https.*jwks_uri is required/);
    expect(served).toBe(0);
  });

  it('rejects a document missing what we need, naming each field', async () => {
    server.setHandler((_req, res) => {
      const doc = {
        ...metadataFor(server.url),
        token_endpoint: undefined,
        jwks_uri: 'http://insecure/jwks',
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
    });
    const error = (await service.getMetadata(request()).catch((e: unknown) => e)) as DomainError;
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('discovery/invalid-metadata');
    expect(error.kind).toBe('bank-failure');
    expect(error.errors?.map((e) => e.field).sort()).toEqual(['jwks_uri', 'token_endpoint']);
  });
});

describe('parseOpenIdMetadata', () => {
  const base = 'https://bank.example';

  it.each([
    ['not an object', []],
    ['a bad alias', { ...metadataFor(base), mtls_endpoint_aliases: { token_endpoint: 42 } }],
    [
      'a bad list',
      { ...metadataFor(base), token_endpoint_auth_methods_supported: 'private_key_jwt' },
    ],
    ['a bad optional URL', { ...metadataFor(base), registration_endpoint: 'not a url' }],
  ])('rejects %s', (_what, doc) => {
    expect(() => parseOpenIdMetadata(doc, 'https://bank.example/.well-known')).toThrow(DomainError);
  });

  it('falls back to token_endpoint without an mTLS alias', () => {
    const doc = { ...metadataFor(base), mtls_endpoint_aliases: undefined };
    expect(effectiveTokenEndpoint(parseOpenIdMetadata(doc, 'x'))).toBe(`${base}/token`);
  });

  it('derives the well-known URL from the issuer', () => {
    expect(wellKnownUrlFor({ issuerUrl: 'https://as.bank/oidc/' })).toBe(
      'https://as.bank/oidc/.well-known/openid-configuration',
    );
    expect(wellKnownUrlFor({ issuerUrl: 'https://as.bank', wellKnownUrl: 'https://x/y' })).toBe(
      'https://x/y',
    );
  });
});
