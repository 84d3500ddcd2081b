import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import schema from '../schema/bank-profile.schema.json';
import type { BankProfileDefinition } from './bank-profile.types';

/** Where the schema lives, named in every message so the reader knows where to look. */
export const BANK_PROFILE_SCHEMA_PATH = 'libs/bank-profiles/schema/bank-profile.schema.json';
export const BANK_PROFILE_SCHEMA: object = schema;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    // allErrors: one start-up reports every problem of a file, not one per restart.
    // useDefaults: files state only what differs from the standard.
    const ajv = new Ajv2020({
      allErrors: true,
      useDefaults: true,
      verbose: true,
      strict: true,
      strictTypes: false,
    });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

export type SchemaValidationResult =
  { ok: true; definition: BankProfileDefinition } | { ok: false; problems: string[] };

/**
 * Validates one parsed profile document. The input is not modified: defaults are applied to a
 * copy, which is returned on success. `source` prefixes every problem (a file path, or the
 * override that produced the document).
 */
export function validateProfileDocument(document: unknown, source: string): SchemaValidationResult {
  const copy: unknown = structuredClone(document);
  const validate = validator();
  if (validate(copy)) return { ok: true, definition: copy as BankProfileDefinition };
  return {
    ok: false,
    problems: (validate.errors ?? [])
      // An unmet conditional rule is reported by the errors of its `then`, which say what to add.
      .filter((e) => e.keyword !== 'if')
      .map((e) => `${source}: ${describeSchemaError(e)}`),
  };
}

function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

const SEE = `see ${BANK_PROFILE_SCHEMA_PATH}`;

/** One ajv error as "<pointer> <what is wrong>; <how to fix it>". */
export function describeSchemaError(error: ErrorObject): string {
  const at = error.instancePath || '/';
  switch (error.keyword) {
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      // Required by a conditional rule: its description says which other value needs it.
      const rule = error.schemaPath.includes('/then/')
        ? (error.parentSchema as { description?: string } | undefined)?.description
        : undefined;
      return `${error.instancePath}/${escapePointerToken(missing)} is required${rule ? ` (${rule})` : ''}; add it or ${SEE}`;
    }
    case 'additionalProperties': {
      const extra = String((error.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys(
        (error.parentSchema as { properties?: object } | undefined)?.properties ?? {},
      );
      return (
        `${error.instancePath}/${escapePointerToken(extra)} is not a known property` +
        (allowed.length ? ` (allowed here: ${allowed.join(', ')})` : '') +
        `; remove it, fix its spelling or ${SEE}`
      );
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues
        .map(String)
        .join(', ');
      return `${at} must be one of ${allowed} (got ${shown(error.data)}); fix the value or ${SEE}`;
    }
    case 'type': {
      const expected = String((error.params as { type: string | string[] }).type);
      return `${at} must be of type ${expected} (got ${typeOf(error.data)} ${shown(error.data)}); fix the value or ${SEE}`;
    }
    case 'pattern':
    case 'format': {
      const description = (error.parentSchema as { description?: string } | undefined)?.description;
      const hint = description ? ` Expected: ${description.split(/(?<=\.)\s/)[0]}` : '';
      return `${at} ${error.message ?? 'is not valid'} (got ${shown(error.data)}); fix the value or ${SEE}.${hint}`;
    }
    default:
      return `${at} ${error.message ?? 'is not valid'} (got ${shown(error.data)}); fix the value or ${SEE}`;
  }
}
