import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, getConfigToken, registerAs } from '@nestjs/config';
import { Clock } from '@obc/common';
import { ConnectorConfig } from './connector-config';
import { Environment, loadConnectorConfig } from './loading/load-connector-config';
import { SecretResolver, createSecretResolver } from './secrets/secret-resolver';

export interface ConnectorConfigModuleOptions {
  /** The environment to read; defaults to process.env. */
  env?: Environment;
  /** Config file path; defaults to CONFIG_FILE. */
  configFile?: string;
}

const CONNECTOR_CONFIG_KEY = 'connector';

/** The environment of this process: the one place the connector reads process.env. */
function processEnvironment(): Environment {
  return process.env;
}

/** For CLIs (migration runner, main.ts): the configuration of this process. */
export function loadConnectorConfigFromProcess(): Promise<ConnectorConfig> {
  return loadConnectorConfig(processEnvironment());
}

export function secretResolverFromConfig(config: ConnectorConfig, clock?: Clock): SecretResolver {
  return createSecretResolver({
    env: (name) => config.secretSources.envValue(name),
    configSecret: (name) => config.secretSources.configValue(name),
    aws: { region: config.aws.region, endpoint: config.aws.ssmEndpoint },
    clock,
  });
}

/**
 * Global module providing ConnectorConfig and SecretResolver. The configuration is loaded by
 * @nestjs/config's async `load` (secret settings may come from SSM); env files and process.env
 * merging are off because this lib validates the environment itself.
 */
@Module({})
export class ConnectorConfigModule {
  static forRoot(opts: ConnectorConfigModuleOptions = {}): DynamicModule {
    const env = opts.env ?? processEnvironment();
    const load = registerAs(CONNECTOR_CONFIG_KEY, () =>
      loadConnectorConfig(env, { configFile: opts.configFile }),
    );
    return {
      module: ConnectorConfigModule,
      global: true,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          ignoreEnvVars: true,
          skipProcessEnv: true,
          load: [load],
        }),
      ],
      providers: [
        {
          provide: ConnectorConfig,
          useFactory: (c: ConnectorConfig) => c,
          inject: [getConfigToken(CONNECTOR_CONFIG_KEY)],
        },
        {
          provide: SecretResolver,
          useFactory: (c: ConnectorConfig, clock?: Clock) => secretResolverFromConfig(c, clock),
          inject: [ConnectorConfig, { token: Clock, optional: true }],
        },
      ],
      exports: [ConnectorConfig, SecretResolver],
    };
  }
}
