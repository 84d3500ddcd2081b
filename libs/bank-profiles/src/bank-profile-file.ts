import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BANK_PROFILE_SCHEMA_PATH, validateProfileDocument } from './bank-profile.schema';
import {
  BANK_APIS,
  BankProfileDefinition,
  CONSENT_TYPE_BY_API,
  ConfigurableKey,
} from './bank-profile.types';

export const PROFILE_FILE_EXTENSIONS = ['.json', '.yaml', '.yml'];

/** A path as the operator would type it: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Profile files of a directory, sorted so load order (and error order) is stable. */
export function listProfileFiles(dir: string): string[] {
  if (!isDirectory(dir)) throw new Error(`${displayPath(dir)} is not a readable directory`);
  return readdirSync(dir)
    .filter(
      (name) =>
        !name.startsWith('.') && PROFILE_FILE_EXTENSIONS.includes(extname(name).toLowerCase()),
    )
    .sort()
    .map((name) => join(dir, name));
}

export type ProfileFileResult =
  | { ok: true; definition: BankProfileDefinition; file: string }
  | { ok: false; problems: string[]; file: string };

function parseFile(
  path: string,
  shown: string,
): { ok: true; document: unknown } | { ok: false; problem: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return {
      ok: false,
      problem: `${shown}: cannot be read (${(e as Error).message}); check the path and its permissions`,
    };
  }
  const isJson = extname(path).toLowerCase() === '.json';
  try {
    return { ok: true, document: isJson ? JSON.parse(text) : parseYaml(text) };
  } catch (e) {
    const reason = (e as Error).message.split('\n')[0];
    return {
      ok: false,
      problem: `${shown}: is not valid ${isJson ? 'JSON' : 'YAML'} (${reason}); fix the syntax (each file holds one profile object)`,
    };
  }
}

function has(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}

/**
 * Rules the schema cannot express: the id matches the file name, every value the bank is
 * expected to publish is present or listed in requiredConfiguration, and declared consent types
 * are served by a declared API.
 */
export function checkDefinition(
  definition: BankProfileDefinition,
  shown: string,
  fileStem: string,
): string[] {
  const problems: string[] = [];
  const required = new Set<ConfigurableKey>(definition.requiredConfiguration);
  if (definition.id !== fileStem) {
    problems.push(
      `${shown}: /id is '${definition.id}' but the file is named '${fileStem}'; rename the file to '${definition.id}${extname(shown)}' or set /id to '${fileStem}'`,
    );
  }
  const mustHave = (key: ConfigurableKey, pointer: string, value: string | undefined): void => {
    if (!has(value) && !required.has(key)) {
      problems.push(
        `${shown}: ${pointer} is missing; set it, or list '${key}' in /requiredConfiguration if the bank does not publish it (see ${BANK_PROFILE_SCHEMA_PATH})`,
      );
    }
  };
  mustHave('issuerUrl', '/issuerUrl', definition.issuerUrl);
  mustHave('financialId', '/financialId', definition.financialId);
  for (const api of BANK_APIS) {
    const declared = definition.apis[api];
    if (declared) mustHave(`apis.${api}.baseUrl`, `/apis/${api}/baseUrl`, declared.baseUrl);
    else if (required.has(`apis.${api}.baseUrl`)) {
      problems.push(
        `${shown}: /requiredConfiguration lists 'apis.${api}.baseUrl' but /apis/${api} is not declared; declare the API (with its version) or remove the entry`,
      );
    }
  }
  const offered = BANK_APIS.filter((api) => definition.apis[api]).map(
    (api) => CONSENT_TYPE_BY_API[api],
  );
  if (offered.length === 0 && definition.consentTypes === undefined) {
    problems.push(
      `${shown}: /apis declares no API; declare at least one of ${BANK_APIS.join(', ')}`,
    );
  }
  (definition.consentTypes ?? []).forEach((type, i) => {
    if (!offered.includes(type)) {
      problems.push(
        `${shown}: /consentTypes/${i} is '${type}' but the API serving it is not declared in /apis; declare the API or remove the consent type`,
      );
    }
  });
  return problems;
}

/** Reads, parses, validates (schema and rules) and defaults one profile file. */
export function readProfileFile(path: string): ProfileFileResult {
  const shown = displayPath(path);
  const parsed = parseFile(path, shown);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem], file: path };
  const validated = validateProfileDocument(parsed.document, shown);
  if (!validated.ok) return { ok: false, problems: validated.problems, file: path };
  const problems = checkDefinition(validated.definition, shown, basename(path, extname(path)));
  return problems.length
    ? { ok: false, problems, file: path }
    : { ok: true, definition: validated.definition, file: path };
}
