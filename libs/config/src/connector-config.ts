import type { BankProfileOverride } from './settings/bank-profile-overrides';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface DirectoryConfig {
  /** Empty when not configured: fetching an SSA then fails with a clear problem. */
  tokenUrl?: string;
  /** Template with `{organisationId}` and `{softwareId}`. */
  ssaUrl?: string;
  scope: string;
  audience?: string;
}

/**
 * Where secrets came from at load time: the environment snapshot (SecretRef source `env`) and
 * the config file's `secrets` map (source `config`). Kept off the enumerable tree so it is never
 * serialised or logged with the configuration.
 */
export class SecretSources {
  constructor(
    private readonly env: Readonly<Record<string, string | undefined>>,
    private readonly configSecrets: ReadonlyMap<string, string>,
  ) {}

  envValue(name: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(this.env, name) ? this.env[name] : undefined;
  }

  configValue(name: string): string | undefined {
    return this.configSecrets.get(name);
  }

  toJSON(): string {
    return '[secret sources]';
  }
}

/** The plain data of the tree (what the loader builds). */
export interface ConnectorConfigTree {
  configFile?: string;
  nodeEnv: string;
  production: boolean;
  server: { port: number; host: string; publicBaseUrl: string };
  log: { level: LogLevel };
  auth: { apiKeys: readonly string[] };
  database: {
    type: 'postgres' | 'sqlite';
    url?: string;
    sqlitePath: string;
    migrateOnStart: boolean;
    poolSize: number;
    logging: boolean;
  };
  encryption: { key?: Buffer; keyId: string };
  bankProfiles: {
    dir: string;
    extraDir?: string;
    overrides: Readonly<Record<string, BankProfileOverride>>;
  };
  bankHttp: {
    caBundleFile?: string;
    caBundlePem?: string;
    timeoutMs: number;
    /** Per call type; see libs/bank-http (BankCallPolicy). */
    timeouts: {
      tokenMs: number;
      registrationMs: number;
      paymentMs: number;
      readMs: number;
      writeMs: number;
    };
    retry: {
      maxAttempts: number;
      baseDelayMs: number;
      maxDelayMs: number;
      maxRetryAfterSeconds: number;
    };
    circuitBreaker: { failureThreshold: number; openMs: number };
    concurrency: { maxConcurrent: number; queueLimit: number; queueTimeoutMs: number };
  };
  directory: { sandbox: DirectoryConfig; production: DirectoryConfig };
  aws: { region: string; ssmEndpoint?: string };
  authContexts: { ttlSeconds: number };
  tokens: { earlyExpirySeconds: number; refreshLockWaitSeconds: number };
  /** How long an in-flight Idempotency-Key is held before a retry may take it over. */
  idempotency: { lockSeconds: number };
  /** Housekeeping of rows past their use (RetentionService). */
  retention: { days: number; sweepMinutes: number };
  /** OpenTelemetry tracing; `otlpEndpoint` is required when enabled (checked at start-up). */
  tracing: { enabled: boolean; otlpEndpoint?: string; serviceName: string; sampleRatio: number };
}

const SECRET_PATHS = ['auth.apiKeys', 'database.url', 'encryption.key'];

/**
 * The one typed, validated configuration, built once by `loadConnectorConfig`. The class is the
 * Nest injection token: `constructor(private readonly config: ConnectorConfig)`.
 */
export class ConnectorConfig implements ConnectorConfigTree {
  readonly configFile?: string;
  readonly nodeEnv!: string;
  readonly production!: boolean;
  readonly server!: ConnectorConfigTree['server'];
  readonly log!: ConnectorConfigTree['log'];
  readonly auth!: ConnectorConfigTree['auth'];
  readonly database!: ConnectorConfigTree['database'];
  readonly encryption!: ConnectorConfigTree['encryption'];
  readonly bankProfiles!: ConnectorConfigTree['bankProfiles'];
  readonly bankHttp!: ConnectorConfigTree['bankHttp'];
  readonly directory!: ConnectorConfigTree['directory'];
  readonly aws!: ConnectorConfigTree['aws'];
  readonly authContexts!: ConnectorConfigTree['authContexts'];
  readonly tokens!: ConnectorConfigTree['tokens'];
  readonly idempotency!: ConnectorConfigTree['idempotency'];
  readonly retention!: ConnectorConfigTree['retention'];
  readonly tracing!: ConnectorConfigTree['tracing'];
  declare readonly secretSources: SecretSources;

  /** Builds a config from a tree (tests may use this directly with a hand-made tree). */
  static from(
    tree: ConnectorConfigTree,
    secretSources = new SecretSources({}, new Map()),
  ): ConnectorConfig {
    const config = Object.assign(new ConnectorConfig(), tree);
    Object.defineProperty(config, 'secretSources', { value: secretSources, enumerable: false });
    return config;
  }

  /** Serialises with secret values replaced, so logging the configuration is safe. */
  toJSON(): Record<string, unknown> {
    const copy = JSON.parse(
      JSON.stringify(
        { ...this, encryption: { ...this.encryption, key: undefined } },
        (_k, v: unknown) => v,
      ),
    ) as Record<string, unknown>;
    for (const path of SECRET_PATHS) {
      const parts = path.split('.');
      const parent = parts
        .slice(0, -1)
        .reduce<Record<string, unknown> | undefined>(
          (node, p) => node?.[p] as Record<string, unknown> | undefined,
          copy,
        );
      const leaf = parts[parts.length - 1];
      const original = parts.reduce<unknown>(
        (node, p) => (node as Record<string, unknown> | undefined)?.[p],
        this,
      );
      if (parent && original !== undefined) parent[leaf] = '[redacted]';
    }
    return copy;
  }
}
