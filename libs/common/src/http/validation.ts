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

/**
 * Where the first U+0000 sits in a JSON-like value (a string or a member name), or undefined.
 * PostgreSQL text cannot hold it: stored, it fails the query (a 500, possibly after a bank call).
 */
export function findNulCharacter(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    for (const [key, child] of Object.entries(v)) {
      const at = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return at;
      stack.push([child, at]);
    }
  }
  return undefined;
}

export class NulCharacterError extends ValidationError {
  constructor(field: string) {
    const message = 'must not contain the NUL character (U+0000)';
    super(`${field}: ${message}.`, [{ field, message }], 'request/nul-character');
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
 * class-transformer recurses into it) and NUL characters (before they reach the database).
 */
class DepthLimitedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const where = metadata.data ?? metadata.type;
    if (inputDepth(value, MAX_INPUT_DEPTH) > MAX_INPUT_DEPTH) throw new InputTooDeepError(where);
    const nul = findNulCharacter(value);
    if (nul !== undefined) throw new NulCharacterError(nul || where);
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
