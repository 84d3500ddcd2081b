import { refineApiKeys } from './api-keys';
import { refineBankProfileOverrides } from './bank-profile-overrides';
import { ConfigSetting, ParseOutcome, SettingValue } from './setting.types';
import { defaultBankProfilesDir } from '../loading/package-root';

const directory = (env: 'SANDBOX' | 'PRODUCTION'): ConfigSetting[] => {
  const key = env.toLowerCase();
  const label = env === 'SANDBOX' ? 'sandbox' : 'production';
  return [
    {
      env: `DIRECTORY_${env}_TOKEN_URL`,
      path: `directory.${key}.tokenUrl`,
      type: 'url',
      description: `Token endpoint of the Open Banking directory (${label}), used to fetch software statement assertions. Empty: fetching an SSA fails with a clear problem.`,
    },
    {
      env: `DIRECTORY_${env}_SSA_URL`,
      path: `directory.${key}.ssaUrl`,
      type: 'string',
      expects: 'an http(s) URL template with {organisationId} and {softwareId}',
      description: `URL template of the directory's SSA endpoint (${label}), with \`{organisationId}\` and \`{softwareId}\` placeholders.`,
      refine: (v) =>
        typeof v === 'string' &&
        v.includes('{organisationId}') &&
        v.includes('{softwareId}') &&
        /^https?:\/\//.test(v)
          ? { ok: true, value: v }
          : {
              ok: false,
              expected: `expected an http(s) URL template with {organisationId} and {softwareId}, got '${String(v)}'`,
            },
    },
    {
      env: `DIRECTORY_${env}_SCOPE`,
      path: `directory.${key}.scope`,
      type: 'string',
      default: 'ASPSPReadAccess TPPReadAccess AuthoritiesReadAccess',
      description: `Scope requested from the directory's token endpoint (${label}).`,
    },
    {
      env: `DIRECTORY_${env}_AUDIENCE`,
      path: `directory.${key}.audience`,
      type: 'string',
      default: {
        describe: `the token URL`,
        compute: (get) => get(`directory.${key}.tokenUrl`) as string | undefined,
      },
      description: `Audience of the client assertion sent to the directory (${label}).`,
    },
  ];
};

/** Timeout of one call type, defaulting to BANK_HTTP_TIMEOUT_MS. */
const callTypeTimeout = (env: string, key: string, what: string): ConfigSetting => ({
  env: `BANK_HTTP_${env}_TIMEOUT_MS`,
  path: `bankHttp.timeouts.${key}Ms`,
  type: 'integer',
  min: 1,
  max: 600000,
  default: {
    describe: 'BANK_HTTP_TIMEOUT_MS',
    compute: (get) => get('bankHttp.timeoutMs') as number,
  },
  description: `Deadline of one attempt of ${what}, in milliseconds. A bank profile's \`callPolicy.timeouts.${key}Ms\` overrides it for that bank.`,
});

/** The bank-call policy (libs/bank-http): global defaults, overridable per bank profile (`callPolicy`). */
function bankCallPolicySettings(): ConfigSetting[] {
  const perBank = (path: string) =>
    ` A bank profile's \`callPolicy.${path}\` overrides it for that bank.`;
  return [
    callTypeTimeout('TOKEN', 'token', 'a token endpoint call'),
    callTypeTimeout('REGISTRATION', 'registration', 'a dynamic client registration call'),
    callTypeTimeout('PAYMENT', 'payment', 'a call creating a payment or VRP'),
    callTypeTimeout('READ', 'read', 'any other GET (resource and consent reads, discovery, JWKS)'),
    callTypeTimeout('WRITE', 'write', 'any other POST, PUT or DELETE (e.g. creating a consent)'),
    {
      env: 'BANK_HTTP_RETRY_MAX_ATTEMPTS',
      path: 'bankHttp.retry.maxAttempts',
      type: 'integer',
      min: 1,
      max: 10,
      default: 3,
      description:
        'Attempts in all (1: no retries) for a bank call that is safe to repeat: a GET, or a POST carrying an x-idempotency-key. Token endpoint calls are never repeated. Retried: 5xx, 429, timeouts and broken connections.' +
        perBank('retry.maxAttempts'),
    },
    {
      env: 'BANK_HTTP_RETRY_BASE_DELAY_MS',
      path: 'bankHttp.retry.baseDelayMs',
      type: 'integer',
      min: 0,
      max: 60000,
      default: 200,
      description:
        'Backoff ceiling before the first retry, in milliseconds; it doubles with each retry and the wait is a random value below it (full jitter).' +
        perBank('retry.baseDelayMs'),
    },
    {
      env: 'BANK_HTTP_RETRY_MAX_DELAY_MS',
      path: 'bankHttp.retry.maxDelayMs',
      type: 'integer',
      min: 0,
      max: 600000,
      default: 2000,
      description:
        'Largest backoff ceiling between retries, in milliseconds.' + perBank('retry.maxDelayMs'),
    },
    {
      env: 'BANK_HTTP_RETRY_AFTER_MAX_SECONDS',
      path: 'bankHttp.retry.maxRetryAfterSeconds',
      type: 'integer',
      min: 0,
      max: 3600,
      default: 10,
      description:
        "Longest `Retry-After` (of a bank's 429 or 503) the connector waits before retrying; a longer one is passed to the caller as a 429 `bank/rate-limited` (or the 5xx problem) with that `Retry-After`." +
        perBank('retry.maxRetryAfterSeconds'),
    },
    {
      env: 'BANK_HTTP_CIRCUIT_FAILURE_THRESHOLD',
      path: 'bankHttp.circuitBreaker.failureThreshold',
      type: 'integer',
      min: 1,
      max: 10000,
      default: 5,
      description:
        'Consecutive failed attempts (5xx, timeouts, broken connections; never 4xx) to one bank that open its circuit: calls to that bank then fail fast with 503 `bank/circuit-open` while other banks are unaffected.' +
        perBank('circuitBreaker.failureThreshold'),
    },
    {
      env: 'BANK_HTTP_CIRCUIT_OPEN_MS',
      path: 'bankHttp.circuitBreaker.openMs',
      type: 'integer',
      min: 1,
      max: 3600000,
      default: 30000,
      description:
        'How long an open circuit fails calls fast, in milliseconds, before one probe call is let through (half-open): its success closes the circuit, its failure opens it again.' +
        perBank('circuitBreaker.openMs'),
    },
    {
      env: 'BANK_HTTP_MAX_CONCURRENT',
      path: 'bankHttp.concurrency.maxConcurrent',
      type: 'integer',
      min: 1,
      max: 10000,
      default: 20,
      description:
        'Calls in flight to one bank at once (per connector process); more wait in a queue.' +
        perBank('concurrency.maxConcurrent'),
    },
    {
      env: 'BANK_HTTP_QUEUE_LIMIT',
      path: 'bankHttp.concurrency.queueLimit',
      type: 'integer',
      min: 0,
      max: 100000,
      default: 200,
      description:
        'Calls that may wait for a slot to one bank; one more fails at once with 503 `bank/queue-full`.' +
        perBank('concurrency.queueLimit'),
    },
    {
      env: 'BANK_HTTP_QUEUE_TIMEOUT_MS',
      path: 'bankHttp.concurrency.queueTimeoutMs',
      type: 'integer',
      min: 1,
      max: 600000,
      default: 5000,
      description:
        'Longest wait for a slot to one bank, in milliseconds; past it the call fails with 503 `bank/queue-timeout`.' +
        perBank('concurrency.queueTimeoutMs'),
    },
  ];
}

/**
 * Every setting, declared once: the loader parses from it and the configuration reference
 * (docs/configuration.md) is rendered from it. Order matters: derived defaults read settings
 * declared above them.
 */
export const CONFIG_SETTINGS: readonly ConfigSetting[] = [
  {
    env: 'CONFIG_FILE',
    path: 'configFile',
    type: 'path',
    envOnly: true,
    description:
      'Optional YAML or JSON configuration file with the same tree as this reference (camelCase paths) plus a `secrets: { name: value }` map used by SecretRef source `config`. Environment variables override it.',
  },
  {
    env: 'NODE_ENV',
    path: 'nodeEnv',
    type: 'string',
    default: 'development',
    description: '`production` turns on production behaviour (`production` flag in the tree).',
  },
  {
    env: 'PORT',
    path: 'server.port',
    type: 'integer',
    min: 0,
    max: 65535,
    default: 3000,
    description: 'HTTP port to listen on (0: any free port).',
  },
  {
    env: 'HOST',
    path: 'server.host',
    type: 'string',
    default: '0.0.0.0',
    description: 'Interface to listen on.',
  },
  {
    env: 'PUBLIC_BASE_URL',
    path: 'server.publicBaseUrl',
    type: 'url',
    default: {
      describe: 'http://localhost:PORT',
      compute: (get) => `http://localhost:${String(get('server.port'))}`,
    },
    refine: (v) => ({ ok: true, value: String(v).replace(/\/+$/, '') }),
    description: 'Base URL callers reach the connector at; used for links and redirect helpers.',
  },
  {
    env: 'LOG_LEVEL',
    path: 'log.level',
    type: 'enum',
    allowed: ['fatal', 'error', 'warn', 'info', 'debug', 'trace'],
    default: 'info',
    description: 'Minimum log level.',
  },
  {
    env: 'API_KEYS',
    path: 'auth.apiKeys',
    type: 'string-list',
    expects: 'a comma-separated list of keys of at least 24 characters',
    secret: true,
    required: true,
    requiredHint:
      'the service refuses to start without a caller API key. Set API_KEYS to one or more comma-separated keys of at least 24 characters (generate one with `openssl rand -base64 32`), or API_KEYS_FILE (a file holding them) or API_KEYS_SSM (an SSM parameter name)',
    refine: refineApiKeys,
    description:
      'Comma-separated API keys that callers send as `Authorization: Bearer <key>`; each at least 24 characters. Required.',
  },
  {
    env: 'DATABASE_URL',
    path: 'database.url',
    type: 'url',
    protocols: ['postgres', 'postgresql'],
    secret: true,
    description:
      'PostgreSQL connection URL (`postgres://user:password@host:5432/db`). When absent, SQLite at SQLITE_PATH is used.',
  },
  {
    env: 'SQLITE_PATH',
    path: 'database.sqlitePath',
    type: 'path',
    default: './data/connector.sqlite',
    description: 'SQLite database file, used when DATABASE_URL is absent.',
  },
  {
    env: 'DATABASE_MIGRATE_ON_START',
    path: 'database.migrateOnStart',
    type: 'boolean',
    default: {
      describe: 'true for SQLite, false for PostgreSQL',
      compute: (get) => get('database.url') === undefined,
    },
    description:
      'Run pending migrations at start-up. Otherwise start-up refuses while migrations are pending (run `npm run migration:run`).',
  },
  {
    env: 'DATABASE_POOL_SIZE',
    path: 'database.poolSize',
    type: 'integer',
    min: 1,
    max: 1000,
    default: 10,
    description: 'PostgreSQL connection pool size.',
  },
  {
    env: 'DATABASE_LOGGING',
    path: 'database.logging',
    type: 'boolean',
    default: false,
    description: 'Log SQL statements (never their parameters).',
  },
  {
    env: 'ENCRYPTION_KEY',
    path: 'encryption.key',
    type: 'base64-key',
    min: 32,
    secret: true,
    description:
      'Default key (base64 of exactly 32 bytes) for encrypting tokens and secrets at rest, used when no encryption key is marked current. Optional.',
  },
  {
    env: 'ENCRYPTION_KEY_ID',
    path: 'encryption.keyId',
    type: 'string',
    default: 'default',
    description: 'Id recorded with values encrypted under ENCRYPTION_KEY.',
  },
  {
    env: 'BANK_PROFILES_DIR',
    path: 'bankProfiles.dir',
    type: 'path',
    default: {
      describe: "the package's `bank-profiles/` directory",
      compute: () => defaultBankProfilesDir(),
    },
    description: 'Directory of the built-in bank profiles.',
  },
  {
    env: 'BANK_PROFILES_EXTRA_DIR',
    path: 'bankProfiles.extraDir',
    type: 'path',
    description:
      'Optional directory of additional bank profiles (one file per bank), loaded at start-up.',
  },
  {
    env: 'BANK_PROFILE_OVERRIDES',
    path: 'bankProfiles.overrides',
    type: 'json-object',
    expects: 'a JSON object of profileId -> overrides',
    default: {},
    refine: refineBankProfileOverrides,
    description:
      'JSON object `profileId -> { issuerUrl, wellKnownUrl, financialId, apis: { accountAndTransaction|paymentInitiation|variableRecurringPayments: { baseUrl, version, financialId } }, tls: { caBundleFile }, messageSigning: { verifyResponseSignatures, jwksUrl, issuer, trustAnchor, b64Header }, discovery: { metadataOverrides } }` overriding profile values (see the bank profile schema for each).',
  },
  {
    env: 'BANK_CA_BUNDLE_FILE',
    path: 'bankHttp.caBundleFile',
    type: 'path',
    expects: 'a PEM file of CA certificates',
    description:
      'Optional PEM file of extra CA certificates trusted for outbound bank calls (exposed as `bankHttp.caBundlePem`).',
  },
  {
    env: 'BANK_HTTP_TIMEOUT_MS',
    path: 'bankHttp.timeoutMs',
    type: 'integer',
    min: 1,
    max: 600000,
    default: 10000,
    description:
      'Default deadline of one attempt of an outbound bank call, in milliseconds; each call type below defaults to it.',
  },
  ...bankCallPolicySettings(),
  ...directory('SANDBOX'),
  ...directory('PRODUCTION'),
  {
    env: 'AWS_REGION',
    path: 'aws.region',
    type: 'string',
    default: 'eu-west-2',
    description: 'AWS region for SSM Parameter Store secrets.',
  },
  {
    env: 'AWS_SSM_ENDPOINT',
    path: 'aws.ssmEndpoint',
    type: 'url',
    description: 'Optional SSM endpoint override (e.g. a local test endpoint).',
  },
  {
    env: 'AUTH_CONTEXT_TTL_SECONDS',
    path: 'authContexts.ttlSeconds',
    type: 'integer',
    min: 1,
    max: 86400,
    default: 600,
    description: 'How long an authorisation context (a started consent authorisation) stays valid.',
  },
  {
    env: 'TOKEN_EARLY_EXPIRY_SECONDS',
    path: 'tokens.earlyExpirySeconds',
    type: 'integer',
    min: 0,
    max: 3600,
    default: 30,
    description:
      'Cached bank access tokens are treated as expired this many seconds before they really expire.',
  },
  {
    env: 'IDEMPOTENCY_LOCK_SECONDS',
    path: 'idempotency.lockSeconds',
    type: 'integer',
    min: 1,
    max: 3600,
    default: 60,
    description:
      'How long a payment or consent creation holds its Idempotency-Key while it calls the bank. A retry with the same key within this time gets 409 `idempotency/in-progress`; after it (the replica that held the key crashed), a retry takes the key over and calls the bank again with the same `x-idempotency-key`, so the bank answers with its first result instead of paying twice. Must be longer than `BANK_HTTP_TIMEOUT_MS`.',
  },
  {
    env: 'DATA_RETENTION_DAYS',
    path: 'retention.days',
    type: 'integer',
    min: 1,
    max: 3650,
    default: 30,
    description:
      'Rows that are only history once used are deleted this many days after their last use: auth contexts (redeemed or expired) and settled idempotency records (a retry with the same Idempotency-Key after that is a new request; banks forget their x-idempotency-key after 24 hours). Consents, tokens, payments and registrations are never deleted by it.',
  },
  {
    env: 'DATA_RETENTION_SWEEP_MINUTES',
    path: 'retention.sweepMinutes',
    type: 'integer',
    min: 1,
    max: 10080,
    default: 60,
    description:
      'Minutes between two retention sweeps on each replica (the first runs at start-up).',
  },
  {
    env: 'TOKEN_REFRESH_LOCK_WAIT_SECONDS',
    path: 'tokens.refreshLockWaitSeconds',
    type: 'integer',
    min: 1,
    max: 600,
    default: 30,
    description:
      "How long a call waits for another replica's refresh of the same consent token (PostgreSQL row lock) before answering 503 `consent/token-refresh-busy`. A process that dies mid refresh releases the lock when its connection closes; this bounds the wait behind one that hangs.",
  },
  {
    env: 'TRACING_ENABLED',
    path: 'tracing.enabled',
    type: 'boolean',
    default: false,
    description:
      'Export OpenTelemetry traces (inbound HTTP requests and outbound bank calls) over OTLP/HTTP. Spans never carry headers, bodies or query strings.',
  },
  {
    env: 'TRACING_OTLP_ENDPOINT',
    path: 'tracing.otlpEndpoint',
    type: 'url',
    description:
      'OTLP/HTTP traces endpoint, e.g. `http://otel-collector:4318/v1/traces`. Required when TRACING_ENABLED is true.',
  },
  {
    env: 'TRACING_SERVICE_NAME',
    path: 'tracing.serviceName',
    type: 'string',
    default: 'uk-open-banking-connector',
    description: 'The `service.name` resource attribute of exported spans.',
  },
  {
    env: 'TRACING_SAMPLE_RATIO',
    path: 'tracing.sampleRatio',
    type: 'string',
    expects: 'a number 0-1',
    default: 1,
    refine: refineRatio,
    description:
      'Fraction of new traces sampled (0 to 1). A request that arrives with a sampled parent trace follows its parent.',
  },
];

/** A fraction 0..1 (a decimal, which the integer type cannot express). */
export function refineRatio(v: SettingValue): ParseOutcome {
  const text = String(v).trim();
  const n = /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(text) ? Number(text) : NaN;
  return n >= 0 && n <= 1
    ? { ok: true, value: n }
    : { ok: false, expected: `expected a number 0-1, got '${text}'` };
}

/** The three ways a secret setting can be given. */
export function secretForms(setting: ConfigSetting): string[] {
  return setting.secret
    ? [setting.env, `${setting.env}_FILE`, `${setting.env}_SSM`]
    : [setting.env];
}
