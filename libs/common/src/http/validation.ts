import {
  ArgumentMetadata,
  ValidationError as ClassValidatorError,
  ValidationPipe,
} from '@nestjs/common';
import { FieldError, ValidationError } from '../errors/domain.error';

function flatten(errors: ClassValidatorError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) out.push({ field, message });
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/**
 * The deepest nesting of arrays and objects a request body, query or header value may have.
 * Open Banking bodies nest about eight levels; class-transformer and class-validator recurse
 * once per level, so a body nested thousands deep would exhaust the stack (a 500) instead of
 * being refused.
 */
export const MAX_INPUT_DEPTH = 32;

/** The nesting depth of a JSON-like value, measured without recursion (0 for a scalar). */
export function inputDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > limit) return deepest;
    for (const child of Object.values(v)) stack.push([child, here]);
  }
  return deepest;
}

/** A UTF-16 surrogate without its pair: not a character, so not storable as text or JSON. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type UnstorableText = 'nul' | 'lone-surrogate';

/**
 * Where the first text sits (a string or a member name) that the database cannot store, and why:
 * U+0000, which PostgreSQL text refuses, or a lone surrogate (a JSON `\ud800` escape), which
 * jsonb refuses and text silently replaces. Either failed the insert with a 500, possibly after
 * the bank had created the resource.
 */
export function findUnstorableText(
  value: unknown,
): { field: string; problem: UnstorableText } | undefined {
  const check = (text: string): UnstorableText | undefined =>
    text.includes('\u0000') ? 'nul' : LONE_SURROGATE.test(text) ? 'lone-surrogate' : undefined;
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const problem = check(v);
      if (problem) return { field: path, problem };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    for (const [key, child] of Object.entries(v)) {
      const at = path ? `${path}.${key}` : key;
      const problem = check(key);
      if (problem) return { field: at, problem };
      stack.push([child, at]);
    }
  }
  return undefined;
}

export class UnstorableTextError extends ValidationError {
  constructor(field: string, problem: UnstorableText) {
    const message =
      problem === 'nul'
        ? 'must not contain the NUL character (U+0000)'
        : 'must be well-formed Unicode (a UTF-16 surrogate without its pair is not a character)';
    super(
      `${field}: ${message}.`,
      [{ field, message }],
      problem === 'nul' ? 'request/nul-character' : 'request/invalid-unicode',
    );
  }
}

export class InputTooDeepError extends ValidationError {
  constructor(where: string) {
    const message = `nests arrays and objects more than ${MAX_INPUT_DEPTH} levels deep`;
    super(`The ${where} ${message}.`, [{ field: where, message }], 'request/too-deeply-nested');
  }
}

/**
 * Nest's ValidationPipe, refusing first what no DTO rule catches: over-deep input (before
 * class-transformer recurses into it) and text the database cannot store (NUL, lone surrogates).
 */
class DepthLimitedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const where = metadata.data ?? metadata.type;
    if (inputDepth(value, MAX_INPUT_DEPTH) > MAX_INPUT_DEPTH) throw new InputTooDeepError(where);
    const unstorable = findUnstorableText(value);
    if (unstorable) throw new UnstorableTextError(unstorable.field || where, unstorable.problem);
    return super.transform(value, metadata);
  }
}

/** The global pipe: whitelist, forbid unknown fields, 400 problem with `errors[]`. */
export function createValidationPipe(): ValidationPipe {
  return new DepthLimitedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      return new ValidationError(
        fieldErrors.map((f) => `${f.field}: ${f.message}`).join('; ') ||
          'The request is not valid.',
        fieldErrors,
      );
    },
  });
}
