/** How a raw value (an environment string, or a config-file value) is turned into a typed one. */
export type SettingType =
  | 'string'
  | 'integer'
  | 'boolean'
  | 'url'
  | 'enum'
  | 'string-list'
  | 'json-object'
  | 'base64-key'
  | 'path';

export type SettingValue =
  string | number | boolean | readonly string[] | Buffer | Record<string, unknown>;

/** Reads values parsed earlier (settings are parsed in declaration order). */
export type SettingLookup = (path: string) => unknown;

/** A default that depends on other settings; `describe` is what the reference doc shows. */
export interface DerivedDefault {
  describe: string;
  compute: (get: SettingLookup) => SettingValue | undefined;
}

export type ParseOutcome = { ok: true; value: SettingValue } | { ok: false; expected: string };

export interface ConfigSetting {
  /** Environment variable name, e.g. `PORT`. */
  env: string;
  /** Dot path in the ConnectorConfig tree and in the config file, e.g. `server.port`. */
  path: string;
  type: SettingType;
  description: string;
  /** What the setting expects, when the type alone says too little (messages and docs). */
  expects?: string;
  default?: SettingValue | DerivedDefault;
  /** Secret settings also accept `<ENV>_FILE` and `<ENV>_SSM`, and are never echoed in errors. */
  secret?: boolean;
  /** Start-up refuses when no value is given. `requiredHint` says how to give one. */
  required?: boolean;
  requiredHint?: string;
  allowed?: readonly string[];
  min?: number;
  max?: number;
  /** For `url`: accepted schemes (without the colon). Defaults to http and https. */
  protocols?: readonly string[];
  /** Read from the environment only (not from the config file), e.g. CONFIG_FILE itself. */
  envOnly?: boolean;
  /** Extra validation/shaping after the type parse. */
  refine?: (value: SettingValue) => ParseOutcome;
}

export function isDerivedDefault(d: ConfigSetting['default']): d is DerivedDefault {
  return (
    typeof d === 'object' &&
    d !== null &&
    !Buffer.isBuffer(d) &&
    'compute' in d &&
    typeof d.compute === 'function'
  );
}
