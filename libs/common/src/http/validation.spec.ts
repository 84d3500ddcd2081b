import { IsObject, IsString } from 'class-validator';
import { DomainError } from '../errors/domain.error';
import {
  createValidationPipe,
  findUnstorableText,
  inputDepth,
  MAX_INPUT_DEPTH,
} from './validation';

class BodyDto {
  @IsString()
  name!: string;

  @IsObject()
  data!: Record<string, unknown>;
}

const nested = (depth: number): unknown =>
  JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)) as unknown;
const nestedArrays = (depth: number): unknown =>
  JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown;

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const body = { type: 'body' as const, metatype: BodyDto, data: undefined };

  it('measures depth without recursion, also of values nested far past the stack', () => {
    expect(inputDepth('x')).toBe(0);
    expect(inputDepth({})).toBe(1);
    expect(inputDepth({ a: [{ b: 1 }] })).toBe(3);
    expect(inputDepth(nestedArrays(200_000))).toBe(200_000);
    expect(inputDepth(nestedArrays(200_000), 40)).toBeLessThanOrEqual(41);
  });

  it('refuses a body nested thousands deep with a 400 problem, not a stack overflow (regression)', async () => {
    // Before: class-transformer recursed into it and threw RangeError, rendered as a 500.
    for (const deep of [nestedArrays(10_000), { name: 'n', data: nested(5_000) }]) {
      const error = await refusal(pipe.transform(deep, body));
      expect(error.kind).toBe('validation');
      expect(error.code).toBe('request/too-deeply-nested');
      expect(error.errors).toEqual([{ field: 'body', message: expect.any(String) }]);
    }
  });

  it('accepts ordinary nesting up to the limit and still validates', async () => {
    const ok = { name: 'n', data: nested(MAX_INPUT_DEPTH - 2) };
    await expect(pipe.transform(ok, body)).resolves.toBeInstanceOf(BodyDto);
    const invalid = await refusal(pipe.transform({ name: 1, data: {} }, body));
    expect(invalid.code).toBe('request/validation-failed');
  });
});

describe('text the database cannot store', () => {
  const pipe = createValidationPipe();

  it('is found in strings and member names at any depth', () => {
    expect(findUnstorableText({ a: ['x', { b: 'y' }], c: '😀 é' })).toBeUndefined();
    expect(findUnstorableText('a\u0000')).toEqual({ field: '', problem: 'nul' });
    expect(findUnstorableText({ a: ['x', { b: 'y\u0000' }] })).toEqual({
      field: 'a.1.b',
      problem: 'nul',
    });
    expect(findUnstorableText(JSON.parse('{"k\\u0000": 1}'))).toMatchObject({ problem: 'nul' });
    for (const lone of ['\uD800', 'a\uDC00', '\uDBFFx', '😀\uD83D'])
      expect(findUnstorableText({ Name: lone })).toEqual({
        field: 'Name',
        problem: 'lone-surrogate',
      });
  });

  it('a lone surrogate is refused with a 400 (regression: jsonb refused it after the bank created the consent, a 500)', async () => {
    const body = JSON.parse('{"name": "n", "data": {"Creditor": {"Name": "A\\ud800"}}}') as unknown;
    const refused = await refusal(
      pipe.transform(body, { type: 'body', metatype: BodyDto, data: undefined }),
    );
    expect(refused.code).toBe('request/invalid-unicode');
    expect(refused.errors).toEqual([{ field: 'data.Creditor.Name', message: expect.any(String) }]);
  });

  it('NUL is refused with a 400 problem naming the field, before the database refuses them (regression)', async () => {
    // Before: a reference of "\u0000" passed the DTO and PostgreSQL failed the insert with a 500
    // after the consent had been created at the bank.
    const refused = await refusal(
      pipe.transform(
        { name: 'a\u0000b', data: {} },
        { type: 'body', metatype: BodyDto, data: undefined },
      ),
    );
    expect(refused.code).toBe('request/nul-character');
    expect(refused.errors).toEqual([{ field: 'name', message: expect.any(String) }]);
    const param = await refusal(
      pipe.transform('id\u0000', { type: 'param', metatype: String, data: 'id' }),
    );
    expect(param.errors?.[0].field).toBe('id');
  });
});
