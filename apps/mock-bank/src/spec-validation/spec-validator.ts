import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { sanitiseSpec } from './sanitise-spec';

export class SpecLoadError extends Error {}

/** One reason the spec refuses a request, in OB error vocabulary. */
export interface SpecViolation {
  /** U002 (field invalid) or U003 (field missing). */
  errorCode: 'U002' | 'U003';
  message: string;
  /** Where: `Data.Permissions[0]`, `header.authorization`, `query.fromBookingDateTime`... */
  path: string;
}

export type SpecCheck =
  | { ok: true; operationId: string }
  | { ok: false; operationId?: string; violations: SpecViolation[] };

export interface SpecRequest {
  method: string;
  /** Path below the API root, e.g. `/accounts/123/transactions`. */
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

export interface SpecValidatorOptions {
  /** Operation ids that must have loaded; start-up fails when any is missing. */
  expectedOperations: string[];
  /**
   * Query parameters the bank itself puts in its paging links (the OB spec leaves paging links
   * opaque to the TPP, so they are not in the document); validation ignores them.
   */
  bankQueryParameters?: string[];
}

interface CompiledOperation {
  operationId: string;
  method: string;
  pattern: RegExp;
  pathParams: string[];
  params: ValidateFunction;
  body?: ValidateFunction;
  bodyRequired: boolean;
}

type Json = Record<string, unknown>;
const SPEC_ID = 'ob-spec';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * Validates requests against one official OB OpenAPI 3.0 document (AIS now; PIS and VRP later)
 * with Ajv. The whole document is registered once and operations point into it, so every
 * `#/components/...` reference resolves exactly as the document intends.
 */
export class SpecValidator {
  private readonly responses = new Map<string, ValidateFunction>();

  private constructor(
    private readonly ajv: Ajv,
    private readonly doc: Json,
    private readonly operations: CompiledOperation[],
    private readonly bankQueryParameters: string[],
  ) {}

  get operationIds(): string[] {
    return this.operations.map((o) => o.operationId);
  }

  static load(file: string, options: SpecValidatorOptions): SpecValidator {
    let raw: Json;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8')) as Json;
    } catch (err) {
      throw new SpecLoadError(
        `cannot read the OB OpenAPI document ${file} (set MOCK_BANK_SPECS_DIR to the ob-specs directory): ${(err as Error).message}`,
        { cause: err },
      );
    }
    const doc = sanitiseSpec(raw);
    // OpenAPI 3.0 is not JSON Schema (parameters' `required: true`, `nullable`, `example`), so the
    // document is not meta-validated; only the schema fragments operations point at are compiled.
    const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true });
    addFormats(ajv);
    for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary']) ajv.addFormat(f, true);
    ajv.addSchema(doc, SPEC_ID);

    const operations: CompiledOperation[] = [];
    try {
      for (const [template, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
        for (const method of METHODS) {
          const op = item[method] as Json | undefined;
          if (!op || typeof op.operationId !== 'string') continue;
          operations.push(compileOperation(ajv, doc, template, method, item, op));
        }
      }
    } catch (err) {
      throw new SpecLoadError(`${file}: cannot compile: ${(err as Error).message}`, { cause: err });
    }
    const loaded = operations.map((o) => o.operationId);
    const missing = options.expectedOperations.filter((id) => !loaded.includes(id));
    if (missing.length)
      throw new SpecLoadError(
        `${file}: expected operations did not load: ${missing.join(', ')} (loaded ${loaded.length})`,
      );
    return new SpecValidator(ajv, doc, operations, options.bankQueryParameters ?? []);
  }

  validate(req: SpecRequest): SpecCheck {
    const method = req.method.toLowerCase();
    let match: { op: CompiledOperation; values: string[] } | undefined;
    for (const op of this.operations) {
      if (op.method !== method) continue;
      const m = op.pattern.exec(req.path);
      if (m) {
        match = { op, values: m.slice(1) };
        break;
      }
    }
    if (!match)
      return {
        ok: false,
        violations: [
          {
            errorCode: 'U002',
            message: `${req.method} ${req.path} is not an operation`,
            path: 'path',
          },
        ],
      };
    const { op, values } = match;
    const query = { ...req.query };
    for (const name of this.bankQueryParameters) delete query[name];
    const header: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) header[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const path = Object.fromEntries(
      op.pathParams.map((n, i) => [n, decodeURIComponent(values[i])]),
    );

    const violations: SpecViolation[] = [];
    if (!op.params({ path, query, header }))
      violations.push(...(op.params.errors ?? []).map((e) => toViolation(e, 'param')));
    if (op.body) {
      if (req.body === undefined) {
        if (op.bodyRequired)
          violations.push({ errorCode: 'U003', message: 'a JSON body is required', path: 'body' });
      } else if (!op.body(req.body)) {
        violations.push(...(op.body.errors ?? []).map((e) => toViolation(e, 'body')));
      }
    }
    return violations.length
      ? { ok: false, operationId: op.operationId, violations }
      : { ok: true, operationId: op.operationId };
  }

  /** Errors of a response body against the document (tests prove the sample data valid with it). */
  validateResponse(operationId: string, status: number, body: unknown): ErrorObject[] {
    const key = `${operationId} ${status}`;
    let validate = this.responses.get(key);
    if (!validate) {
      validate = compileResponse(this.ajv, this.doc, operationId, status);
      this.responses.set(key, validate);
    }
    return validate(body) ? [] : [...(validate.errors ?? [])];
  }
}

function compileOperation(
  ajv: Ajv,
  doc: Json,
  template: string,
  method: string,
  item: Json,
  op: Json,
): CompiledOperation {
  const sections: Record<'path' | 'query' | 'header', { properties: Json; required: string[] }> = {
    path: { properties: {}, required: [] },
    query: { properties: {}, required: [] },
    header: { properties: {}, required: [] },
  };
  const params = [...((item.parameters ?? []) as Json[]), ...((op.parameters ?? []) as Json[])];
  for (const p of params) {
    const { value, pointer } = deref(doc, p, `${pointerOf(template, method)}`);
    const where = value.in as string;
    if (where !== 'path' && where !== 'query' && where !== 'header') continue;
    const name = where === 'header' ? String(value.name).toLowerCase() : String(value.name);
    sections[where].properties[name] = { $ref: `${SPEC_ID}#${pointer}/schema` };
    if (value.required === true) sections[where].required.push(name);
  }
  const section = (s: { properties: Json; required: string[] }, additional: boolean) => ({
    type: 'object',
    properties: s.properties,
    required: s.required,
    additionalProperties: additional,
  });
  const paramsSchema = {
    type: 'object',
    properties: {
      path: section(sections.path, false),
      query: section(sections.query, false),
      header: section(sections.header, true),
    },
  };

  let body: ValidateFunction | undefined;
  let bodyRequired = false;
  if (op.requestBody) {
    const { value, pointer } = deref(
      doc,
      op.requestBody as Json,
      `${pointerOf(template, method)}/requestBody`,
    );
    const content = (value.content ?? {}) as Json;
    const type = ['application/json', 'application/json; charset=utf-8'].find((t) => content[t]);
    if (type) body = ajv.compile({ $ref: `${SPEC_ID}#${pointer}/content/${escape(type)}/schema` });
    bodyRequired = value.required === true;
  }
  const pathParams: string[] = [];
  const pattern = new RegExp(
    `^${template
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace(/\\?\{([^}]+)\\?\}|\{([^}]+)\}/g, (_m, a: string, b: string) => {
        pathParams.push(a ?? b);
        return '([^/]+)';
      })}/?$`,
  );
  return {
    operationId: op.operationId as string,
    method,
    pattern,
    pathParams,
    params: ajv.compile(paramsSchema),
    body,
    bodyRequired,
  };
}

function compileResponse(
  ajv: Ajv,
  doc: Json,
  operationId: string,
  status: number,
): ValidateFunction {
  for (const [template, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (op?.operationId !== operationId) continue;
      const responses = (op.responses ?? {}) as Json;
      const base = `${pointerOf(template, method)}/responses/${status}`;
      if (!responses[String(status)]) throw new Error(`${operationId} has no ${status} response`);
      const { value, pointer } = deref(doc, responses[String(status)] as Json, base);
      const content = (value.content ?? {}) as Json;
      if (!content['application/json']) return ajv.compile({ not: {} });
      return ajv.compile({ $ref: `${SPEC_ID}#${pointer}/content/application~1json/schema` });
    }
  }
  throw new Error(`no operation ${operationId}`);
}

/** Follows a local `$ref` (OpenAPI objects, not schemas), returning the target and its pointer. */
function deref(doc: Json, node: Json, pointer: string): { value: Json; pointer: string } {
  let value = node;
  let at = pointer;
  for (let hops = 0; typeof value.$ref === 'string' && hops < 10; hops++) {
    at = value.$ref.slice(1);
    value = at
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((n, key) => (n as Json | undefined)?.[key], doc) as Json;
    if (!value) throw new Error(`unresolved $ref #${at}`);
  }
  return { value, pointer: at };
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function pointerOf(template: string, method: string): string {
  return `/paths/${escape(template)}/${method}`;
}

/** Ajv's `/Data/Permissions/0` → OB's `Data.Permissions[0]`; parameters as `query.name`. */
function toViolation(e: ErrorObject, source: 'param' | 'body'): SpecViolation {
  let path = '';
  for (const s of e.instancePath.split('/').filter((x) => x.length > 0))
    path += /^\d+$/.test(s) ? `[${s}]` : path ? `.${s}` : s;
  const params = e.params as {
    missingProperty?: string;
    additionalProperty?: string;
    allowedValues?: unknown[];
  };
  const join = (p: string, child: string) => (p ? `${p}.${child}` : child);
  if (e.keyword === 'required' && params.missingProperty)
    return {
      errorCode: 'U003',
      message: `${params.missingProperty} is required`,
      path: join(path, params.missingProperty),
    };
  if (e.keyword === 'additionalProperties' && params.additionalProperty)
    return {
      errorCode: 'U002',
      message: `${params.additionalProperty} is not allowed here`,
      path: join(path, params.additionalProperty),
    };
  const detail = params.allowedValues ? ` (${params.allowedValues.map(String).join(', ')})` : '';
  return {
    errorCode: 'U002',
    message: `${e.message ?? 'is invalid'}${detail}`,
    path: path || (source === 'body' ? 'body' : 'request'),
  };
}

/**
 * The same validator with one required body member made optional for one operation: a bank
 * whose own API document departs from the OB one (e.g. a domestic VRP without Data.VRPType,
 * which a bank that refuses the member must take). Everything else is validated as before.
 */
export function withOptionalMember(
  spec: SpecValidator,
  operationId: string,
  path: string,
): SpecValidator {
  const relaxed = Object.create(spec) as SpecValidator;
  relaxed.validate = (req: SpecRequest): SpecCheck => {
    const check = spec.validate(req);
    if (check.ok || check.operationId !== operationId) return check;
    const violations = check.violations.filter((v) => !(v.errorCode === 'U003' && v.path === path));
    return violations.length > 0 ? { ...check, violations } : { ok: true, operationId };
  };
  return relaxed;
}
