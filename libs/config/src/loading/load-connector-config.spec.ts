import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { ConfigValidationError } from '../config-validation.error';
import { loadConnectorConfig } from './load-connector-config';

const KEY_A = 'a'.repeat(24);
const KEY_B = 'b-very-long-key-0123456789abcdef';
const base = { API_KEYS: KEY_A };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'obc-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function errorOf(
  env: Record<string, string | undefined>,
  opts = {},
): Promise<ConfigValidationError> {
  try {
    await loadConnectorConfig(env, opts);
  } catch (e) {
    if (e instanceof ConfigValidationError) return e;
    throw e;
  }
  throw new Error('expected a ConfigValidationError');
}

async function selfSignedPem(): Promise<string> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(alg, false, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=Test CA',
    notBefore: new Date(Date.now() - 1000),
    notAfter: new Date(Date.now() + 86_400_000),
    keys: keys as unknown as Parameters<
      typeof x509.X509CertificateGenerator.createSelfSigned
    >[0]['keys'],
    signingAlgorithm: alg,
  });
  return cert.toString('pem');
}

describe('loadConnectorConfig: defaults', () => {
  it('builds the whole tree from the minimum environment', async () => {
    const c = await loadConnectorConfig(base);
    expect(c.nodeEnv).toBe('development');
    expect(c.production).toBe(false);
    expect(c.server).toEqual({
      port: 3000,
      host: '0.0.0.0',
      publicBaseUrl: 'http://localhost:3000',
    });
    expect(c.log.level).toBe('info');
    expect(c.auth.apiKeys).toEqual([KEY_A]);
    expect(c.database).toEqual({
      type: 'sqlite',
      sqlitePath: './data/connector.sqlite',
      migrateOnStart: true,
      poolSize: 10,
      logging: false,
    });
    expect(c.encryption).toEqual({ keyId: 'default' });
    expect(c.bankProfiles.overrides).toEqual({});
    expect(c.bankProfiles.extraDir).toBeUndefined();
    expect(c.bankHttp).toEqual({
      timeoutMs: 10000,
      timeouts: {
        tokenMs: 10000,
        registrationMs: 10000,
        paymentMs: 10000,
        readMs: 10000,
        writeMs: 10000,
      },
      retry: { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2000, maxRetryAfterSeconds: 10 },
      circuitBreaker: { failureThreshold: 5, openMs: 30000 },
      concurrency: { maxConcurrent: 20, queueLimit: 200, queueTimeoutMs: 5000 },
    });
    const scope = 'ASPSPReadAccess TPPReadAccess AuthoritiesReadAccess';
    expect(c.directory).toEqual({ sandbox: { scope }, production: { scope } });
    expect(c.aws).toEqual({ region: 'eu-west-2' });
    expect(c.authContexts.ttlSeconds).toBe(600);
    expect(c.tokens.earlyExpirySeconds).toBe(30);
    expect(c.idempotency.lockSeconds).toBe(60);
  });

  it("defaults BANK_PROFILES_DIR to bank-profiles/ beside the package's package.json", async () => {
    const c = await loadConnectorConfig(base);
    expect(c.bankProfiles.dir.endsWith('bank-profiles')).toBe(true);
    expect(existsSync(join(dirname(c.bankProfiles.dir), 'package.json'))).toBe(true);
  });

  it('treats empty variables as unset', async () => {
    const c = await loadConnectorConfig({ ...base, PORT: '', DATABASE_URL: ' ' });
    expect(c.server.port).toBe(3000);
    expect(c.database.type).toBe('sqlite');
  });
});

describe('loadConnectorConfig: each setting', () => {
  it('reads server, runtime and logging settings', async () => {
    const c = await loadConnectorConfig({
      ...base,
      NODE_ENV: 'production',
      PORT: '8080',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'DEBUG',
    });
    expect(c.production).toBe(true);
    expect(c.server).toEqual({
      port: 8080,
      host: '127.0.0.1',
      publicBaseUrl: 'http://localhost:8080',
    });
    expect(c.log.level).toBe('debug');
  });

  it('takes PUBLIC_BASE_URL without its trailing slash', async () => {
    const c = await loadConnectorConfig({ ...base, PUBLIC_BASE_URL: 'https://obc.example.test/' });
    expect(c.server.publicBaseUrl).toBe('https://obc.example.test');
  });

  it('PostgreSQL: type, pool size, logging, no migration on start by default', async () => {
    const c = await loadConnectorConfig({
      ...base,
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
      DATABASE_POOL_SIZE: '5',
      DATABASE_LOGGING: 'true',
    });
    expect(c.database).toMatchObject({
      type: 'postgres',
      url: 'postgres://u:p@127.0.0.1:5432/db',
      migrateOnStart: false,
      poolSize: 5,
      logging: true,
    });
  });

  it('DATABASE_MIGRATE_ON_START overrides the per-driver default', async () => {
    expect(
      (await loadConnectorConfig({ ...base, DATABASE_MIGRATE_ON_START: 'false' })).database
        .migrateOnStart,
    ).toBe(false);
    const pg = await loadConnectorConfig({
      ...base,
      DATABASE_URL: 'postgresql://h/db',
      DATABASE_MIGRATE_ON_START: 'yes',
    });
    expect(pg.database.migrateOnStart).toBe(true);
  });

  it('SQLITE_PATH', async () => {
    expect(
      (await loadConnectorConfig({ ...base, SQLITE_PATH: '/tmp/x.sqlite' })).database.sqlitePath,
    ).toBe('/tmp/x.sqlite');
  });

  it('ENCRYPTION_KEY is decoded to 32 bytes, with its id', async () => {
    const key = Buffer.alloc(32, 9);
    const c = await loadConnectorConfig({
      ...base,
      ENCRYPTION_KEY: key.toString('base64'),
      ENCRYPTION_KEY_ID: 'k1',
    });
    expect(c.encryption.key?.equals(key)).toBe(true);
    expect(c.encryption.keyId).toBe('k1');
  });

  it('bank profile directories, overrides and timeout', async () => {
    const overrides = {
      'mock-bank': {
        issuerUrl: 'https://127.0.0.1:9443',
        financialId: '0015800001041RHAAY',
        apis: { accountAndTransaction: { baseUrl: 'https://127.0.0.1:9443/aisp' } },
        tls: { caBundleFile: '/x/ca.pem' },
        messageSigning: {
          verifyResponseSignatures: true,
          jwksUrl: 'https://127.0.0.1:9443/jwks',
          issuer: '0015800001041RHAAY',
          trustAnchor: 'openbanking.org.uk',
        },
        // A bank without a discovery document: its endpoints as the operator was told them.
        discovery: { metadataOverrides: { token_endpoint: 'https://127.0.0.1:9443/token' } },
      },
    };
    const c = await loadConnectorConfig({
      ...base,
      BANK_PROFILES_DIR: '/opt/profiles',
      BANK_PROFILES_EXTRA_DIR: '/etc/obc/profiles',
      BANK_PROFILE_OVERRIDES: JSON.stringify(overrides),
      BANK_HTTP_TIMEOUT_MS: '2500',
    });
    expect(c.bankProfiles).toEqual({
      dir: '/opt/profiles',
      extraDir: '/etc/obc/profiles',
      overrides,
    });
    expect(c.bankHttp.timeoutMs).toBe(2500);
  });

  it('bank call policy: per call type timeouts default to BANK_HTTP_TIMEOUT_MS, each value settable', async () => {
    const c = await loadConnectorConfig({
      ...base,
      BANK_HTTP_TIMEOUT_MS: '2500',
      BANK_HTTP_PAYMENT_TIMEOUT_MS: '40000',
      BANK_HTTP_RETRY_MAX_ATTEMPTS: '1',
      BANK_HTTP_RETRY_AFTER_MAX_SECONDS: '0',
      BANK_HTTP_CIRCUIT_FAILURE_THRESHOLD: '2',
      BANK_HTTP_CIRCUIT_OPEN_MS: '1500',
      BANK_HTTP_MAX_CONCURRENT: '4',
      BANK_HTTP_QUEUE_TIMEOUT_MS: '700',
    });
    expect(c.bankHttp.timeouts).toEqual({
      tokenMs: 2500,
      registrationMs: 2500,
      paymentMs: 40000,
      readMs: 2500,
      writeMs: 2500,
    });
    expect(c.bankHttp.retry).toEqual({
      maxAttempts: 1,
      baseDelayMs: 200,
      maxDelayMs: 2000,
      maxRetryAfterSeconds: 0,
    });
    expect(c.bankHttp.circuitBreaker).toEqual({ failureThreshold: 2, openMs: 1500 });
    expect(c.bankHttp.concurrency).toEqual({
      maxConcurrent: 4,
      queueLimit: 200,
      queueTimeoutMs: 700,
    });
  });

  it('refuses a bank call policy value out of range, naming the variable', async () => {
    await expect(
      loadConnectorConfig({
        ...base,
        BANK_HTTP_RETRY_MAX_ATTEMPTS: '0',
        BANK_HTTP_MAX_CONCURRENT: 'x',
      }),
    ).rejects.toThrow(/BANK_HTTP_RETRY_MAX_ATTEMPTS[\s\S]*BANK_HTTP_MAX_CONCURRENT/);
  });

  it('BANK_CA_BUNDLE_FILE is read and exposed as PEM', async () => {
    const pem = await selfSignedPem();
    const path = file('ca.pem', `# extra CA\n${pem}`);
    const c = await loadConnectorConfig({ ...base, BANK_CA_BUNDLE_FILE: path });
    expect(c.bankHttp.caBundleFile).toBe(path);
    expect(c.bankHttp.caBundlePem?.trim()).toBe(pem.trim());
  });

  it('directory settings; the audience defaults to the token URL', async () => {
    const c = await loadConnectorConfig({
      ...base,
      DIRECTORY_SANDBOX_TOKEN_URL: 'https://127.0.0.1:8443/directory/token',
      DIRECTORY_SANDBOX_SSA_URL:
        'https://127.0.0.1:8443/directory/{organisationId}/{softwareId}/ssa',
      DIRECTORY_PRODUCTION_TOKEN_URL: 'https://dir.example.test/token',
      DIRECTORY_PRODUCTION_AUDIENCE: 'dir-aud',
      DIRECTORY_PRODUCTION_SCOPE: 'ASPSPReadAccess',
    });
    expect(c.directory.sandbox).toEqual({
      tokenUrl: 'https://127.0.0.1:8443/directory/token',
      ssaUrl: 'https://127.0.0.1:8443/directory/{organisationId}/{softwareId}/ssa',
      scope: 'ASPSPReadAccess TPPReadAccess AuthoritiesReadAccess',
      audience: 'https://127.0.0.1:8443/directory/token',
    });
    expect(c.directory.production).toEqual({
      tokenUrl: 'https://dir.example.test/token',
      scope: 'ASPSPReadAccess',
      audience: 'dir-aud',
    });
  });

  it('AWS and timing settings', async () => {
    const c = await loadConnectorConfig({
      ...base,
      AWS_REGION: 'eu-west-1',
      AWS_SSM_ENDPOINT: 'http://127.0.0.1:4566',
      AUTH_CONTEXT_TTL_SECONDS: '120',
      TOKEN_EARLY_EXPIRY_SECONDS: '0',
    });
    expect(c.aws).toEqual({ region: 'eu-west-1', ssmEndpoint: 'http://127.0.0.1:4566' });
    expect(c.authContexts.ttlSeconds).toBe(120);
    expect(c.tokens.earlyExpirySeconds).toBe(0);
  });

  it('IDEMPOTENCY_LOCK_SECONDS', async () => {
    const c = await loadConnectorConfig({ ...base, IDEMPOTENCY_LOCK_SECONDS: '15' });
    expect(c.idempotency.lockSeconds).toBe(15);
  });
});

describe('loadConnectorConfig: errors name the variable and what it expects', () => {
  it('IDEMPOTENCY_LOCK_SECONDS: a whole number of seconds, longer than one bank call', async () => {
    expect((await errorOf({ ...base, IDEMPOTENCY_LOCK_SECONDS: '0' })).issues).toEqual([
      { variable: 'IDEMPOTENCY_LOCK_SECONDS', message: "expected an integer 1-3600, got '0'" },
    ]);
    expect((await errorOf({ ...base, IDEMPOTENCY_LOCK_SECONDS: 'soon' })).issues).toEqual([
      { variable: 'IDEMPOTENCY_LOCK_SECONDS', message: "expected an integer 1-3600, got 'soon'" },
    ]);
    const e = await errorOf({
      ...base,
      IDEMPOTENCY_LOCK_SECONDS: '10',
      BANK_HTTP_TIMEOUT_MS: '10000',
    });
    expect(e.issues).toEqual([
      {
        variable: 'IDEMPOTENCY_LOCK_SECONDS',
        message:
          'expected more seconds than BANK_HTTP_TIMEOUT_MS allows one bank call (10000 ms), got 10',
      },
    ]);
    const ok = await loadConnectorConfig({
      ...base,
      IDEMPOTENCY_LOCK_SECONDS: '11',
      BANK_HTTP_TIMEOUT_MS: '10000',
    });
    expect(ok.idempotency.lockSeconds).toBe(11);
  });

  it('PORT', async () => {
    const e = await errorOf({ ...base, PORT: 'abc' });
    expect(e.message).toContain("PORT: expected an integer 0-65535, got 'abc'");
    expect(e.issues).toEqual([
      { variable: 'PORT', message: "expected an integer 0-65535, got 'abc'" },
    ]);
  });

  it('lists every bad variable at once', async () => {
    const e = await errorOf({
      PORT: '99999',
      LOG_LEVEL: 'loud',
      DATABASE_POOL_SIZE: '0',
      BANK_HTTP_TIMEOUT_MS: 'soon',
      AWS_SSM_ENDPOINT: 'nope',
      DATABASE_LOGGING: 'perhaps',
      PUBLIC_BASE_URL: 'example',
    });
    expect(e.issues.map((i) => i.variable).sort()).toEqual(
      [
        'API_KEYS',
        'AWS_SSM_ENDPOINT',
        'BANK_HTTP_TIMEOUT_MS',
        'DATABASE_LOGGING',
        'DATABASE_POOL_SIZE',
        'LOG_LEVEL',
        'PORT',
        'PUBLIC_BASE_URL',
      ].sort(),
    );
    expect(e.message).toContain(
      "LOG_LEVEL: expected one of fatal|error|warn|info|debug|trace, got 'loud'",
    );
    expect(e.message).toMatch(/^Invalid configuration \(8 problems\):/);
  });

  it('API_KEYS missing: refuses to start and says how to set one', async () => {
    const e = await errorOf({});
    expect(e.issues).toHaveLength(1);
    expect(e.message).toMatch(
      /API_KEYS: required: the service refuses to start without a caller API key/,
    );
    expect(e.message).toContain('API_KEYS_FILE');
    expect(e.message).toContain('API_KEYS_SSM');
  });

  it('API_KEYS too short: says which, never shows the keys', async () => {
    const e = await errorOf({ API_KEYS: `${KEY_B},short-secret` });
    expect(e.message).toContain(
      'API_KEYS: expected each API key to be at least 24 characters (key 2 has 12)',
    );
    expect(e.message).not.toContain('short-secret');
    expect(e.message).not.toContain(KEY_B);
  });

  it('API_KEYS of only commas', async () => {
    expect((await errorOf({ API_KEYS: ' , ' })).message).toContain(
      'API_KEYS: expected at least one API key',
    );
  });

  it('DATABASE_URL must be PostgreSQL, and is not echoed', async () => {
    const e = await errorOf({ ...base, DATABASE_URL: 'mysql://user:hunter2@h/db' });
    expect(e.message).toContain('DATABASE_URL: expected a postgres or postgresql URL');
    expect(e.message).not.toContain('hunter2');
  });

  it('ENCRYPTION_KEY of the wrong length', async () => {
    const e = await errorOf({ ...base, ENCRYPTION_KEY: Buffer.alloc(31).toString('base64') });
    expect(e.message).toContain(
      'ENCRYPTION_KEY: expected base64 of exactly 32 bytes, got 31 bytes',
    );
  });

  it.each([
    ['[]', 'expected a JSON object'],
    ['{"bank": 3}', 'bank must be an object of overrides'],
    ['{"bank": {"issuerUrl": "nope"}}', 'bank.issuerUrl must be an http(s) URL'],
    [
      '{"bank": {"apis": {"cards": {"baseUrl": "https://x.test"}}}}',
      'bank.apis.cards is not a known API',
    ],
    ['{"bank": {"colour": "red"}}', 'bank.colour is not a known override'],
    [
      '{"bank": {"apis": {"paymentInitiation": {"version": 3}}}}',
      'bank.apis.paymentInitiation.version must be a string',
    ],
    [
      '{"bank": {"apis": {"paymentInitiation": {"region": "eu"}}}}',
      'bank.apis.paymentInitiation must be an object { baseUrl, version, financialId }',
    ],
    ['{"bank": {"tls": {"caBundleFile": 1}}}', 'bank.tls.caBundleFile must be a file path'],
    ['{"bank": {"messageSigning": true}}', 'bank.messageSigning must be an object'],
    ['{"bank": {"messageSigning": {"verify": true}}}', 'bank.messageSigning must be an object'],
    [
      '{"bank": {"messageSigning": {"verifyResponseSignatures": "yes"}}}',
      'bank.messageSigning.verifyResponseSignatures must be true or false',
    ],
    [
      '{"bank": {"messageSigning": {"jwksUrl": "keys"}}}',
      'bank.messageSigning.jwksUrl must be an http(s) URL',
    ],
    [
      '{"bank": {"messageSigning": {"issuer": ""}}}',
      'bank.messageSigning.issuer must be a non-empty string',
    ],
    [
      '{"bank": {"discovery": {"mode": "none"}}}',
      'bank.discovery must be an object { metadataOverrides: { member: value } }',
    ],
    [
      '{"bank": {"discovery": {"metadataOverrides": ["issuer"]}}}',
      'bank.discovery must be an object { metadataOverrides: { member: value } }',
    ],
  ])('BANK_PROFILE_OVERRIDES %s', async (raw, expected) => {
    const e = await errorOf({ ...base, BANK_PROFILE_OVERRIDES: raw });
    expect(e.issues[0].variable).toBe('BANK_PROFILE_OVERRIDES');
    expect(e.message).toContain(expected);
  });

  it('BANK_CA_BUNDLE_FILE missing or not PEM', async () => {
    expect(
      (await errorOf({ ...base, BANK_CA_BUNDLE_FILE: join(dir, 'none.pem') })).message,
    ).toMatch(/BANK_CA_BUNDLE_FILE: expected a readable PEM file.*ENOENT/);
    const notPem = file('x.pem', 'hello');
    expect((await errorOf({ ...base, BANK_CA_BUNDLE_FILE: notPem })).message).toContain(
      'BANK_CA_BUNDLE_FILE: expected a PEM file with at least one CERTIFICATE',
    );
    const broken = file('y.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect((await errorOf({ ...base, BANK_CA_BUNDLE_FILE: broken })).message).toContain(
      'certificate 1',
    );
  });

  it('DIRECTORY_*_SSA_URL must carry both placeholders', async () => {
    const e = await errorOf({
      ...base,
      DIRECTORY_SANDBOX_SSA_URL: 'https://x.test/{organisationId}/ssa',
    });
    expect(e.message).toContain(
      'DIRECTORY_SANDBOX_SSA_URL: expected an http(s) URL template with {organisationId} and {softwareId}',
    );
  });
});

describe('loadConnectorConfig: secret forms', () => {
  it('NAME_FILE reads the value from a file, dropping the trailing newline', async () => {
    const c = await loadConnectorConfig({ API_KEYS_FILE: file('keys', `${KEY_A},${KEY_B}\n`) });
    expect(c.auth.apiKeys).toEqual([KEY_A, KEY_B]);
  });

  it('ENCRYPTION_KEY_FILE', async () => {
    const key = Buffer.alloc(32, 3);
    const c = await loadConnectorConfig({
      ...base,
      ENCRYPTION_KEY_FILE: file('enc', `${key.toString('base64')}\n`),
    });
    expect(c.encryption.key?.equals(key)).toBe(true);
  });

  it('more than one form is an error', async () => {
    const e = await errorOf({ API_KEYS: KEY_A, API_KEYS_FILE: file('keys', KEY_A) });
    expect(e.message).toContain(
      'API_KEYS: set only one of API_KEYS, API_KEYS_FILE, API_KEYS_SSM (found API_KEYS, API_KEYS_FILE)',
    );
  });

  it('a missing NAME_FILE names the variable and the file', async () => {
    const missing = join(dir, 'absent');
    const e = await errorOf({ API_KEYS_FILE: missing });
    expect(e.issues[0].variable).toBe('API_KEYS_FILE');
    expect(e.message).toContain(`file '${missing}' does not exist`);
  });

  it('NAME_SSM goes through the secret resolver with source aws-ssm', async () => {
    const asked: unknown[] = [];
    const c = await loadConnectorConfig(
      { API_KEYS_SSM: '/obc/api-keys' },
      { secretResolver: { resolve: async (ref) => (asked.push(ref), KEY_B) } },
    );
    expect(asked).toEqual([{ source: 'aws-ssm', name: '/obc/api-keys' }]);
    expect(c.auth.apiKeys).toEqual([KEY_B]);
  });
});

describe('loadConnectorConfig: config file', () => {
  const yaml = `
server:
  port: 4000
  host: 127.0.0.1
log:
  level: warn
auth:
  apiKeys: [${KEY_A}]
database:
  migrateOnStart: false
bankProfiles:
  overrides:
    mock-bank:
      financialId: "0015800001041RHAAY"
encryption:
  key: { source: config, name: enc }
secrets:
  enc: ${Buffer.alloc(32, 5).toString('base64')}
  obwac-key: "-----BEGIN PRIVATE KEY-----"
`;

  it('reads the tree from YAML, including the secrets map', async () => {
    const path = file('obc.yaml', yaml);
    const c = await loadConnectorConfig({ CONFIG_FILE: path });
    expect(c.configFile).toBe(path);
    expect(c.server).toEqual({
      port: 4000,
      host: '127.0.0.1',
      publicBaseUrl: 'http://localhost:4000',
    });
    expect(c.log.level).toBe('warn');
    expect(c.auth.apiKeys).toEqual([KEY_A]);
    expect(c.database.migrateOnStart).toBe(false);
    expect(c.bankProfiles.overrides).toEqual({
      'mock-bank': { financialId: '0015800001041RHAAY' },
    });
    expect(c.encryption.key?.equals(Buffer.alloc(32, 5))).toBe(true);
    expect(c.secretSources.configValue('obwac-key')).toBe('-----BEGIN PRIVATE KEY-----');
  });

  it('the environment overrides the file', async () => {
    const c = await loadConnectorConfig({
      CONFIG_FILE: file('obc.yaml', yaml),
      PORT: '5000',
      API_KEYS: KEY_B,
    });
    expect(c.server.port).toBe(5000);
    expect(c.auth.apiKeys).toEqual([KEY_B]);
    expect(c.log.level).toBe('warn');
  });

  it('the configFile option wins over CONFIG_FILE; JSON works', async () => {
    const json = file(
      'obc.json',
      JSON.stringify({ server: { port: 4100 }, auth: { apiKeys: KEY_A } }),
    );
    const c = await loadConnectorConfig(
      { CONFIG_FILE: join(dir, 'absent.yaml') },
      { configFile: json },
    );
    expect(c.server.port).toBe(4100);
  });

  it('bad file values name the variable and the file path; unknown keys are reported', async () => {
    const e = await errorOf({
      CONFIG_FILE: file(
        'bad.yaml',
        `server:\n  port: lots\n  prot: 1\nauth:\n  apiKeys: [${KEY_A}]\n`,
      ),
    });
    expect(e.message).toContain(
      "PORT (config file server.port): expected an integer 0-65535, got 'lots'",
    );
    expect(e.message).toContain("CONFIG_FILE: unknown setting 'server.prot'");
  });

  it('an unreadable config file is reported', async () => {
    const e = await errorOf({ ...base, CONFIG_FILE: join(dir, 'absent.yaml') });
    expect(e.message).toMatch(/CONFIG_FILE: could not read .*ENOENT/);
  });
});

describe('ConnectorConfig serialisation', () => {
  it('redacts secrets and hides the secret sources', async () => {
    const c = await loadConnectorConfig({
      ...base,
      DATABASE_URL: 'postgres://u:hunter2@h/db',
      ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    });
    const text = JSON.stringify(c);
    expect(text).not.toContain(KEY_A);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(Buffer.alloc(32, 1).toString('base64'));
    expect(JSON.parse(text)).toMatchObject({
      auth: { apiKeys: '[redacted]' },
      database: { url: '[redacted]' },
      encryption: { key: '[redacted]' },
      server: { port: 3000 },
    });
  });
});
