/**
 * Test-only access to the official OB OpenAPI documents in ../shared/ob-specs (the connector never
 * reads them at run time): Ajv validation of a component schema, example documents built from the
 * documents' own `example` values, and the key shape of a schema.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Shape } from '../v3-1-11/shape';

type Json = Record<string, unknown>;
export type SpecVersion = 'v3.1.11' | 'v4.0';
export type SpecApi = 'account-info' | 'payment-initiation' | 'vrp';

export const SPECS_DIR = resolve(
  process.env.OB_SPECS_DIR ??
    process.env.MOCK_BANK_SPECS_DIR ??
    join(__dirname, '../../../../../shared/ob-specs'),
);

const documents = new Map<string, Json>();

export function specDocument(version: SpecVersion, api: SpecApi): Json {
  const key = `${version}/${api}`;
  let doc = documents.get(key);
  if (!doc) {
    const file = join(SPECS_DIR, version, `${api}-openapi.json`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(
        `cannot read the official OB document ${file}: the mapper tests need ../shared/ob-specs (or OB_SPECS_DIR)`,
        { cause: error },
      );
    }
    doc = sanitise(JSON.parse(text)) as Json;
    documents.set(key, doc);
  }
  return doc;
}

/** Drops siblings of `$ref` and de-duplicates enums (see ../shared/README.md). */
function sanitise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sanitise);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Json;
  if (typeof obj.$ref === 'string') return { $ref: obj.$ref };
  const out: Json = {};
  for (const [k, v] of Object.entries(obj))
    out[k] = k === 'enum' && Array.isArray(v) ? [...new Set(v)] : sanitise(v);
  return out;
}

const validators = new Map<string, ValidateFunction>();
const ajvs = new Map<string, Ajv>();

/** Ajv over the whole document, pointing at `#/components/schemas/<name>`. */
export function schemaValidator(
  version: SpecVersion,
  api: SpecApi,
  schema: string,
): ValidateFunction {
  const key = `${version}/${api}#${schema}`;
  let validate = validators.get(key);
  if (!validate) {
    let ajv = ajvs.get(`${version}/${api}`);
    if (!ajv) {
      ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true });
      addFormats(ajv);
      for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary'])
        ajv.addFormat(f, true);
      ajv.addSchema(specDocument(version, api), 'doc');
      ajvs.set(`${version}/${api}`, ajv);
    }
    validate = ajv.compile({ $ref: `doc#/components/schemas/${schema}` });
    validators.set(key, validate);
  }
  return validate;
}

/** Ajv's errors for `value` against the schema, as short strings ([] when valid). */
export function schemaErrors(
  version: SpecVersion,
  api: SpecApi,
  schema: string,
  value: unknown,
): string[] {
  const validate = schemaValidator(version, api, schema);
  return validate(value)
    ? []
    : (validate.errors ?? []).map(
        (e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`,
      );
}

function deref(doc: Json, schema: unknown): Json {
  let s = schema as Json;
  for (let i = 0; s && typeof s.$ref === 'string' && i < 32; i++)
    s = (s.$ref as string)
      .slice(2)
      .split('/')
      .reduce<unknown>((o, k) => (o as Json)[k], doc) as Json;
  return s ?? {};
}

function merged(doc: Json, schema: unknown): Json {
  const s = deref(doc, schema);
  if (!Array.isArray(s.allOf)) return s;
  const parts = (s.allOf as unknown[]).map((p) => merged(doc, p));
  return {
    ...Object.assign({}, ...parts),
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
    required: parts.flatMap((p) => (p.required as string[]) ?? []),
  };
}

export interface ExampleOptions {
  /** Only required properties (plus those in `include`). */
  minimal?: boolean;
  /** Property names to leave out wherever they appear. */
  omit?: string[];
}

/**
 * A document for a schema built from the OpenAPI document itself: each value is the schema's
 * `example` when the document gives one, else its first enum value, else a value of its format
 * or pattern. With every optional property (the default) it exercises the whole schema.
 */
export function exampleOf(
  version: SpecVersion,
  api: SpecApi,
  schema: string,
  options: ExampleOptions = {},
): unknown {
  const doc = specDocument(version, api);
  return build(doc, { $ref: `#/components/schemas/${schema}` }, options, 0, '');
}

function build(
  doc: Json,
  schema: unknown,
  options: ExampleOptions,
  depth: number,
  name: string,
): unknown {
  const s = merged(doc, schema);
  if (depth > 20) return undefined;
  if (Array.isArray(s.oneOf)) return build(doc, s.oneOf[0], options, depth + 1, name);
  if (Array.isArray(s.anyOf)) return build(doc, s.anyOf[0], options, depth + 1, name);
  if (s.example !== undefined && typeof s.example !== 'object' && fitsPattern(s, s.example))
    return s.example;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (Array.isArray(s['x-namespaced-enum'])) return (s['x-namespaced-enum'] as unknown[])[0];
  const type = s.type ?? (s.properties ? 'object' : undefined);
  if (type === 'array') {
    const item = build(doc, s.items, options, depth + 1, name);
    return item === undefined ? [] : [item];
  }
  if (type === 'object') {
    const out: Json = {};
    const required = (s.required as string[]) ?? [];
    for (const [key, child] of Object.entries((s.properties as Json) ?? {})) {
      if (options.omit?.includes(key)) continue;
      if (options.minimal && !required.includes(key)) continue;
      const value = build(doc, child, options, depth + 1, key);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  if (type === 'boolean') return true;
  if (type === 'integer' || type === 'number') return 1;
  return stringFor(s, name);
}

function fitsPattern(s: Json, value: unknown): boolean {
  return typeof s.pattern !== 'string' || new RegExp(s.pattern).test(String(value));
}

/** A value that satisfies the string schema's format, pattern and length. */
function stringFor(s: Json, name: string): string {
  if (s.format === 'date-time') return '2024-05-29T00:00:00+00:00';
  if (s.format === 'date') return '2024-05-29';
  if (s.format === 'uri') return 'https://bank.example/open-banking/resource';
  const pattern = typeof s.pattern === 'string' ? new RegExp(s.pattern) : undefined;
  const candidates = [
    ...(name === 'Currency' ? ['GBP'] : []),
    ...(name === 'Country' || name === 'CountryCode' ? ['GB'] : []),
    '10.00',
    'GBP',
    'GB',
    'EvryDay',
    '2024-05-29T00:00:00+00:00',
    '529900T8BM49AURSDO55',
    '+44-2079460000',
    name || 'Value',
  ];
  const max = typeof s.maxLength === 'number' ? s.maxLength : Infinity;
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  for (const c of candidates) {
    if (pattern && !pattern.test(c)) continue;
    if (!pattern && c !== candidates[candidates.length - 1]) continue;
    const v = c.slice(0, max);
    if (v.length >= min) return v;
  }
  return 'x'.repeat(Math.max(1, Math.min(min, max)));
}

/** The key shape of a schema (see Shape): what a v3.1.11 request may hold. */
export function shapeOf(version: SpecVersion, api: SpecApi, schema: string): Shape {
  const doc = specDocument(version, api);
  const walk = (node: unknown, depth: number): Shape | true | '*' => {
    const s = merged(doc, node);
    if (depth > 20) return true;
    if (Array.isArray(s.oneOf)) return walk(s.oneOf[0], depth + 1);
    if (s.type === 'array') return walk(s.items, depth + 1);
    if (s.type === 'object' || s.properties) {
      if (!s.properties || Object.keys(s.properties as Json).length === 0) return '*';
      const out: Record<string, Shape | true | '*'> = {};
      for (const [k, v] of Object.entries(s.properties as Json)) out[k] = walk(v, depth + 1);
      return out;
    }
    return true;
  };
  return walk({ $ref: `#/components/schemas/${schema}` }, 0) as Shape;
}
