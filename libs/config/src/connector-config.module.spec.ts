import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConfigService } from '@nestjs/config';
import { ConfigValidationError } from './config-validation.error';
import { ConnectorConfig } from './connector-config';
import { ConnectorConfigModule } from './connector-config.module';
import { SecretResolver } from './secrets/secret-resolver';

@Injectable()
class NeedsConfig {
  constructor(
    readonly config: ConnectorConfig,
    readonly secrets: SecretResolver,
  ) {}
}

// A feature module that does not import ConnectorConfigModule: the module is global.
@Module({ providers: [NeedsConfig], exports: [NeedsConfig] })
class FeatureModule {}

describe('ConnectorConfigModule', () => {
  it('provides ConnectorConfig and SecretResolver globally from the given environment', async () => {
    const env = { API_KEYS: 'x'.repeat(24), PORT: '4321', OBWAC_KEY: 'pem-text' };
    const moduleRef = await Test.createTestingModule({
      imports: [ConnectorConfigModule.forRoot({ env }), FeatureModule],
    }).compile();
    const svc = moduleRef.get(NeedsConfig);
    expect(svc.config).toBeInstanceOf(ConnectorConfig);
    expect(svc.config.server.port).toBe(4321);
    await expect(svc.secrets.resolve({ source: 'env', name: 'OBWAC_KEY' })).resolves.toBe(
      'pem-text',
    );
    // The tree is also reachable through @nestjs/config, and process.env is not merged in.
    const cs = moduleRef.get(ConfigService);
    expect(cs.get<number>('connector.server.port')).toBe(4321);
    expect(cs.get('PATH')).toBeUndefined();
    await moduleRef.close();
  });

  it('refuses to start on bad configuration', async () => {
    const err = await Test.createTestingModule({
      imports: [ConnectorConfigModule.forRoot({ env: { PORT: 'abc' } })],
    })
      .compile()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigValidationError);
    expect((err as Error).message).toContain("PORT: expected an integer 0-65535, got 'abc'");
  });
});
