import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DCR_SPEC_RELATIVE_PATH = join('dcr-v3.3', 'client-registration-openapi.json');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Validates decoded registration JWT claims; returns human-readable problems (empty when valid). */
export type RegistrationClaimsValidator = (claims: unknown) => string[];

export interface RegistrationSchemaOptions {
  /**
   * The one limit a quirk mode relaxes: maxLength of tls_client_auth_subject_dn (128 in DCR
   * 3.3). A bank that wants organizationIdentifier as `#hex` (quirk subjectDnFormat 'oid-hex')
   * accepts the longer DN that makes; DCR 3.4 allows 512.
   */
  subjectDnMaxLength?: number;
}

/** maxLength of tls_client_auth_subject_dn in DCR 3.4, taken by banks that want the hex form. */
export const DCR_34_SUBJECT_DN_MAX_LENGTH = 512;

/**
 * Compiles `OBClientRegistration1` from the official DCR OpenAPI document. The document is read
 * at start-up, never copied: a missing document stops the bank with the path it looked at.
 */
export function loadRegistrationSchema(
  specsDir: string,
  options: RegistrationSchemaOptions = {},
): RegistrationClaimsValidator {
  const file = join(specsDir, DCR_SPEC_RELATIVE_PATH);
  if (!existsSync(file)) {
    throw new Error(
      `DCR OpenAPI document not found at ${file}; set MOCK_BANK_SPECS_DIR to the ob-specs directory`,
    );
  }
  const document = JSON.parse(readFileSync(file, 'utf8')) as {
    components?: { schemas?: Record<string, Json> };
  };
  const schemas = document.components?.schemas;
  if (!schemas?.OBClientRegistration1 || !schemas.OBRegistrationProperties1) {
    throw new Error(`${file} does not define OBClientRegistration1 and OBRegistrationProperties1`);
  }
  const sanitised = sanitise(structuredClone(schemas)) as Record<string, Json>;
  relaxAudience(sanitised);
  if (options.subjectDnMaxLength !== undefined)
    relaxSubjectDnLength(sanitised, options.subjectDnMaxLength);

  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('JWT', /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/);
  const validate: ValidateFunction = ajv.compile({
    $ref: '#/components/schemas/OBClientRegistration1',
    components: { schemas: sanitised },
  });
  return (claims) =>
    validate(claims)
      ? []
      : (validate.errors ?? []).map(
          (e) => `${e.instancePath || '(claims)'} ${e.message ?? 'is invalid'}`,
        );
}

/** Drops siblings of `$ref` and duplicate enum values, which some validators reject. */
function sanitise(node: Json): Json {
  if (Array.isArray(node)) return node.map(sanitise);
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') return { $ref: node.$ref };
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === 'enum' && Array.isArray(value) ? [...new Set(value)] : sanitise(value);
  }
  return out;
}

/**
 * The document pins `aud` to an 18-character financial id; many ASPSPs (and this mock, when told)
 * take their issuer URL instead, so the audience check is done in code rather than by pattern.
 */
function relaxAudience(schemas: Record<string, Json>): void {
  const registration = schemas.OBClientRegistration1 as {
    allOf?: { properties?: Record<string, Json> }[];
  };
  const first = registration.allOf?.[0];
  if (!first?.properties?.aud)
    throw new Error('OBClientRegistration1 has an unexpected shape (no aud claim)');
  first.properties.aud = { type: 'string', minLength: 1 };
}

function relaxSubjectDnLength(schemas: Record<string, Json>, maxLength: number): void {
  const properties = (schemas.OBRegistrationProperties1 as { properties?: Record<string, Json> })
    .properties;
  const dn = properties?.tls_client_auth_subject_dn;
  if (!dn || typeof dn !== 'object' || Array.isArray(dn) || typeof dn.maxLength !== 'number')
    throw new Error(
      'OBRegistrationProperties1 has an unexpected shape (no tls_client_auth_subject_dn maxLength)',
    );
  dn.maxLength = maxLength;
}
