import { DomainError } from '@obc/common';
import { ConfigIssue, ConfigValidationError } from '../config-validation.error';
import { ConnectorConfig, ConnectorConfigTree, SecretSources } from '../connector-config';
import { SecretRef } from '../secrets/secret-ref';
import { SecretResolving, createSecretResolver } from '../secrets/secret-resolver';
import { CONFIG_SETTINGS, secretForms } from '../settings/config-settings';
import { parseSettingValue } from '../settings/setting-parsers';
import { ConfigSetting, SettingValue, isDerivedDefault } from '../settings/setting.types';
import { readCaBundle } from './ca-bundle';
import { ConfigFileContents, readConfigFile } from './config-file';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface LoadConnectorConfigOptions {
  /** Path of the config file; defaults to CONFIG_FILE. */
  configFile?: string;
  /** Resolves `<NAME>_FILE` / `<NAME>_SSM` forms; defaults to the standard providers. */
  secretResolver?: SecretResolving;
}

type RawValue = { raw: unknown; variable: string };

function isSecretRefLike(v: unknown): v is SecretRef {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as SecretRef).source === 'string' &&
    typeof (v as SecretRef).name === 'string'
  );
}

function secretFailure(e: unknown): string {
  return e instanceof DomainError ? e.detail : `could not be resolved (${(e as Error).name})`;
}

function setPath(tree: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = tree;
  for (const p of parts.slice(0, -1)) {
    node[p] ??= {};
    node = node[p] as Record<string, unknown>;
  }
  if (value !== undefined) node[parts[parts.length - 1]] = value;
}

/**
 * Builds and validates the configuration from an environment (and the optional config file;
 * the environment wins). Every problem is collected and thrown together as one
 * ConfigValidationError, so an operator sees all of them at once.
 */
export async function loadConnectorConfig(
  env: Environment,
  opts: LoadConnectorConfigOptions = {},
): Promise<ConnectorConfig> {
  const snapshot: Environment = Object.freeze({ ...env });
  // An empty variable counts as unset: compose files and Helm charts often render `VAR=`.
  const envValue = (name: string): string | undefined => {
    const v = snapshot[name];
    return v === undefined || v.trim() === '' ? undefined : v;
  };
  const issues: ConfigIssue[] = [];
  const configFile = opts.configFile ?? envValue('CONFIG_FILE');
  let file: ConfigFileContents = { values: new Map(), secrets: new Map(), problems: [] };
  if (configFile) {
    file = readConfigFile(configFile, CONFIG_SETTINGS);
    for (const problem of file.problems) issues.push({ variable: 'CONFIG_FILE', message: problem });
  }

  const values = new Map<string, SettingValue>();
  const lookup = (path: string): unknown => values.get(path);

  let resolver = opts.secretResolver;
  let ownResolver: ReturnType<typeof createSecretResolver> | undefined;
  const secrets = (): SecretResolving => {
    if (!resolver) {
      // Settled before secret settings are read: AWS settings are plain values.
      const plain = (path: string): string | undefined => {
        const s = CONFIG_SETTINGS.find((x) => x.path === path);
        const raw = s
          ? (envValue(s.env) ??
            file.values.get(path) ??
            (isDerivedDefault(s.default) ? undefined : s.default))
          : undefined;
        const parsed = s && raw !== undefined ? parseSettingValue(s, raw) : undefined;
        return parsed?.ok ? String(parsed.value) : undefined;
      };
      ownResolver = createSecretResolver({
        env: (name) => snapshot[name],
        configSecret: (name) => file.secrets.get(name),
        aws: { region: plain('aws.region') ?? 'eu-west-2', endpoint: plain('aws.ssmEndpoint') },
      });
      resolver = ownResolver;
    }
    return resolver;
  };

  const rawValue = async (s: ConfigSetting): Promise<RawValue | 'failed' | undefined> => {
    const forms = secretForms(s);
    const given = forms.filter((f) => envValue(f) !== undefined);
    if (given.length > 1) {
      issues.push({
        variable: s.env,
        message: `set only one of ${forms.join(', ')} (found ${given.join(', ')})`,
      });
      return 'failed';
    }
    if (given.length === 1) {
      const variable = given[0];
      const v = envValue(variable) as string;
      if (variable === s.env) return { raw: v, variable };
      const ref: SecretRef = {
        source: variable.endsWith('_FILE') ? 'file' : 'aws-ssm',
        name: v.trim(),
      };
      try {
        return { raw: await secrets().resolve(ref), variable };
      } catch (e) {
        issues.push({
          variable,
          message: `expected ${ref.source === 'file' ? 'a readable file' : 'an existing SSM parameter'} holding ${s.env}: ${secretFailure(e)}`,
        });
        return 'failed';
      }
    }
    if (s.envOnly || !file.values.has(s.path)) return undefined;
    const fromFile = file.values.get(s.path);
    const variable = `${s.env} (config file ${s.path})`;
    if (s.secret && isSecretRefLike(fromFile)) {
      try {
        return {
          raw: await secrets().resolve({ source: fromFile.source, name: fromFile.name }),
          variable,
        };
      } catch (e) {
        issues.push({
          variable,
          message: `expected a resolvable secret reference: ${secretFailure(e)}`,
        });
        return 'failed';
      }
    }
    return { raw: fromFile, variable };
  };

  try {
    for (const s of CONFIG_SETTINGS) {
      const given = await rawValue(s);
      if (given === 'failed') continue;
      if (given === undefined) {
        const value = isDerivedDefault(s.default) ? s.default.compute(lookup) : s.default;
        if (value !== undefined) values.set(s.path, value);
        else if (s.required)
          issues.push({
            variable: s.env,
            message: `required: ${s.requiredHint ?? `set ${s.env}`}`,
          });
        continue;
      }
      const outcome = parseSettingValue(s, given.raw);
      if (outcome.ok) values.set(s.path, outcome.value);
      else issues.push({ variable: given.variable, message: outcome.expected });
    }
  } finally {
    ownResolver?.destroy();
  }

  const caBundleFile = values.get('bankHttp.caBundleFile') as string | undefined;
  if (caBundleFile !== undefined) {
    const bundle = readCaBundle(caBundleFile);
    if (bundle.ok) values.set('bankHttp.caBundlePem', bundle.pem);
    else issues.push({ variable: 'BANK_CA_BUNDLE_FILE', message: bundle.expected });
  }

  const lockSeconds = values.get('idempotency.lockSeconds') as number | undefined;
  const timeoutMs = values.get('bankHttp.timeoutMs') as number | undefined;
  if (lockSeconds !== undefined && timeoutMs !== undefined && lockSeconds * 1000 <= timeoutMs) {
    // A key held for less than one bank call could be taken over while its holder still waits
    // for the bank: two replicas would then call the bank at once for one payment.
    issues.push({
      variable: 'IDEMPOTENCY_LOCK_SECONDS',
      message: `expected more seconds than BANK_HTTP_TIMEOUT_MS allows one bank call (${timeoutMs} ms), got ${lockSeconds}`,
    });
  }

  if (issues.length) throw new ConfigValidationError(issues);

  const tree: Record<string, unknown> = {};
  for (const s of CONFIG_SETTINGS) setPath(tree, s.path, values.get(s.path));
  setPath(tree, 'bankHttp.caBundlePem', values.get('bankHttp.caBundlePem'));
  tree.production = values.get('nodeEnv') === 'production';
  setPath(tree, 'database.type', values.has('database.url') ? 'postgres' : 'sqlite');
  if (configFile) tree.configFile = configFile;
  return ConnectorConfig.from(
    tree as unknown as ConnectorConfigTree,
    new SecretSources(snapshot, file.secrets),
  );
}
