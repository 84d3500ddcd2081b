import { DomainError } from '@obc/common';
import { ConfigValidationError } from '../config-validation.error';
import { loadConnectorConfig } from '../loading/load-connector-config';
import {
  SSM_TEST_CREDENTIALS,
  SsmTestServer,
  startSsmTestServer,
} from '../testing/ssm-test-server';
import { AwsSsmSecretProvider } from './aws-ssm-secret.provider';
import { createSecretResolver } from './secret-resolver';

// The real SDK client against a local endpoint speaking the SSM JSON protocol: no module mocks.
describe('AwsSsmSecretProvider (real SDK, local SSM endpoint)', () => {
  let server: SsmTestServer;
  let provider: AwsSsmSecretProvider;

  beforeEach(async () => {
    server = await startSsmTestServer({ '/obc/test/key': 's3cr3t-value' });
    provider = new AwsSsmSecretProvider({
      region: 'eu-west-2',
      endpoint: server.url,
      clientConfig: { credentials: SSM_TEST_CREDENTIALS, maxAttempts: 1 },
    });
  });
  afterEach(async () => {
    provider.destroy();
    await server.close();
  });

  it('reads a parameter with decryption', async () => {
    await expect(provider.get({ source: 'aws-ssm', name: '/obc/test/key' })).resolves.toBe(
      's3cr3t-value',
    );
    expect(server.requests).toEqual([
      {
        target: 'AmazonSSM.GetParameter',
        contentType: 'application/x-amz-json-1.1',
        body: { Name: '/obc/test/key', WithDecryption: true },
      },
    ]);
  });

  it('a missing parameter is secret/not-found naming source and name', async () => {
    const err = await provider
      .get({ source: 'aws-ssm', name: '/obc/absent' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'secret/not-found', kind: 'validation' });
    expect((err as DomainError).detail).toContain("'/obc/absent'");
    expect((err as DomainError).detail).toContain("'aws-ssm'");
  });

  it('an unreachable endpoint is secret/unavailable', async () => {
    await server.close();
    const err = await provider
      .get({ source: 'aws-ssm', name: '/obc/test/key' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'secret/unavailable', kind: 'unavailable' });
    server = await startSsmTestServer();
  });

  it('resolves NAME_SSM settings when loading the configuration', async () => {
    server.setParameter('/obc/api-keys', 'k'.repeat(30));
    const env = {
      API_KEYS_SSM: '/obc/api-keys',
      ENCRYPTION_KEY_SSM: '/obc/absent',
      AWS_SSM_ENDPOINT: server.url,
    };
    const resolver = createSecretResolver({
      env: () => undefined,
      configSecret: () => undefined,
      aws: {
        region: 'eu-west-2',
        endpoint: server.url,
        clientConfig: { credentials: SSM_TEST_CREDENTIALS, maxAttempts: 1 },
      },
    });
    const err = await loadConnectorConfig(env, { secretResolver: resolver }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigValidationError);
    expect((err as ConfigValidationError).issues).toEqual([
      {
        variable: 'ENCRYPTION_KEY_SSM',
        message: expect.stringContaining("No secret '/obc/absent' in source 'aws-ssm'"),
      },
    ]);
    const c = await loadConnectorConfig(
      { API_KEYS_SSM: '/obc/api-keys' },
      { secretResolver: resolver },
    );
    expect(c.auth.apiKeys).toEqual(['k'.repeat(30)]);
    resolver.destroy();
  });
});
