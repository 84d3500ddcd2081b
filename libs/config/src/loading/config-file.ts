import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigSetting } from '../settings/setting.types';

export interface ConfigFileContents {
  /** Raw values by setting path (`server.port`). */
  values: Map<string, unknown>;
  /** The `secrets` map (SecretRef source `config`). */
  secrets: Map<string, string>;
  /** Problems found, as messages (the caller names the file). */
  problems: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads the optional config file (YAML, or JSON which YAML also reads) into values keyed by
 * setting path. Unknown keys are reported, since a typo would otherwise silently do nothing.
 */
export function readConfigFile(
  path: string,
  settings: readonly ConfigSetting[],
): ConfigFileContents {
  const out: ConfigFileContents = { values: new Map(), secrets: new Map(), problems: [] };
  let doc: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    doc = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    out.problems.push(`could not read '${path}': ${err.code ?? err.message}`);
    return out;
  }
  if (doc === null || doc === undefined) return out;
  if (!isObject(doc)) {
    out.problems.push(`expected '${path}' to hold an object (the configuration tree)`);
    return out;
  }
  const leaves = new Map(settings.filter((s) => !s.envOnly).map((s) => [s.path, s]));
  const branches = new Set<string>();
  for (const p of leaves.keys()) {
    const parts = p.split('.');
    for (let i = 1; i < parts.length; i++) branches.add(parts.slice(0, i).join('.'));
  }
  const walk = (node: Record<string, unknown>, prefix: string): void => {
    for (const [key, value] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (path === 'secrets') {
        readSecrets(value, out);
      } else if (leaves.has(path)) {
        if (value !== null && value !== undefined) out.values.set(path, value);
      } else if (branches.has(path) && isObject(value)) {
        walk(value, path);
      } else {
        out.problems.push(`unknown setting '${path}' in '${filePathLabel(prefix)}'`);
      }
    }
  };
  walk(doc, '');
  return out;
}

function filePathLabel(prefix: string): string {
  return prefix === '' ? '(top level)' : prefix;
}

function readSecrets(value: unknown, out: ConfigFileContents): void {
  if (!isObject(value)) {
    out.problems.push('expected secrets to be a map of name: value');
    return;
  }
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'string') out.secrets.set(name, v);
    else out.problems.push(`secret '${name}' must be a string`);
  }
}
