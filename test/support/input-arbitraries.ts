import fc from 'fast-check';

/**
 * fast-check arbitraries for bad input at the HTTP boundary: boundary strings and numbers, wrong
 * types, deep nesting, prototype-pollution keys, malformed JSON text, odd headers and path ids.
 * Used by the input property tests (test/integration/input-properties*.int-spec.ts).
 */

/** A JSON object with an own `__proto__` / `constructor` member, as JSON.parse makes them. */
const pollutedObject = fc
  .constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty')
  .map((key) => JSON.parse(`{"${key}": {"polluted": true, "toString": 1}}`) as unknown);

/** Arrays or objects nested `depth` deep (JSON.parse accepts any depth; recursion may not). */
const deeplyNested = fc
  .tuple(fc.constantFrom(40, 200, 3_000), fc.boolean())
  .map(([depth, arrays]) =>
    JSON.parse(
      arrays
        ? '['.repeat(depth) + ']'.repeat(depth)
        : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
    ),
  );

export const boundaryString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\t\n',
    '\u0000',
    'a\u0000b',
    '\uFEFF',
    '\uD800', // a lone surrogate
    '😀🏴‍☠️',
    'é'.normalize('NFD'),
    'NaN',
    'Infinity',
    '-Infinity',
    '-0',
    '-1',
    '0',
    '1e309',
    '1e-309',
    '9'.repeat(400),
    '0x1F',
    '1_000',
    ' 10.00 ',
    '10,00',
    '-10.00',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '../../etc/passwd',
    "' OR 1=1 --",
    '%00',
    '%zz',
    '<script>alert(1)</script>',
    'javascript:alert(1)',
    'https://',
    'http://127.0.0.1:1/x',
    'https://tpp.example/callback#frag',
    '${jndi:ldap://x}',
    '{{7*7}}',
    '__proto__',
    'constructor',
    'true',
    'null',
    '2026-13-45T99:99:99Z',
    '9999-12-31T23:59:59.999Z',
  ),
  fc.integer({ min: 1, max: 70_000 }).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
);

export const boundaryNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 0.1, 1e308, -1e308, 5e-324, 2 ** 53 + 2, -(2 ** 31), 2 ** 63),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Any one bad value for a field: boundary strings and numbers, wrong types, nesting, pollution. */
export const boundaryValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: boundaryString },
  { weight: 2, arbitrary: boundaryNumber },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, [], {}, [null], [''], [[]], {}) },
  { weight: 1, arbitrary: pollutedObject },
  { weight: 1, arbitrary: deeplyNested },
  { weight: 1, arbitrary: fc.array(boundaryString, { maxLength: 3 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** Every path into a JSON value (root excluded), objects and arrays included. */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push([...prefix, i], ...pathsOf(item, [...prefix, i]));
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key], ...pathsOf(item, [...prefix, key]));
    }
  }
  return out;
}

/** The paths of the objects inside a value, the root included (where extra fields can go). */
function objectPathsOf(value: unknown): Path[] {
  const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const paths: Path[] = isObject(value) ? [[]] : [];
  for (const path of pathsOf(value)) if (isObject(getAt(value, path))) paths.push(path);
  return paths;
}

function getAt(value: unknown, path: Path): unknown {
  let v: unknown = value;
  for (const step of path) v = (v as Record<string | number, unknown>)[step];
  return v;
}

/**
 * What to append to a valid string so it stays plausible (the bank may accept it) but holds
 * text that is awkward to store or compare: lone surrogates, NUL, emoji, bidi controls, length.
 */
const awkwardSuffix: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('\uD800', '\uDFFF', '\u0000') },
  {
    weight: 3,
    arbitrary: fc.constantFrom('😀', '\u202E', 'e\u0301', '\uFFFF', '\u2028', ' ', '"\'\\'),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);

type Mutation =
  | { kind: 'append'; path: Path; suffix: string }
  | { kind: 'replace'; path: Path; value: unknown }
  | { kind: 'remove'; path: Path }
  | { kind: 'extra'; path: Path; key: string; value: unknown };

/** Applies one mutation to a deep copy; own `__proto__` keys are set with defineProperty. */
function mutate(valid: Json, mutation: Mutation): unknown {
  const copy = JSON.parse(JSON.stringify(valid)) as Json;
  const set = (target: Record<string | number, unknown>, key: string | number, value: unknown) =>
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      configurable: true,
      writable: true,
    });
  if (mutation.kind === 'extra') {
    set(getAt(copy, mutation.path) as Record<string, unknown>, mutation.key, mutation.value);
    return copy;
  }
  const parent = getAt(copy, mutation.path.slice(0, -1)) as Record<string | number, unknown>;
  const last = mutation.path[mutation.path.length - 1];
  if (mutation.kind === 'append') {
    set(parent, last, String(parent[last]) + mutation.suffix);
  } else if (mutation.kind === 'remove') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    set(parent, last, mutation.value);
  }
  return copy;
}

/** A structurally valid body with exactly one field replaced, removed, or one field added. */
export function mutatedBody(valid: object): fc.Arbitrary<unknown> {
  const json = valid as Json;
  const paths = pathsOf(json);
  const objectPaths = objectPathsOf(json);
  const options: fc.WeightedArbitrary<Mutation>[] = [
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('extra' as const),
        path: fc.constantFrom(...objectPaths),
        key: fc.oneof(
          fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra', 'id', 'Data', ''),
          fc.string({ maxLength: 12 }),
        ),
        value: boundaryValue,
      }),
    },
  ];
  const stringPaths = paths.filter((path) => typeof getAt(json, path) === 'string');
  if (stringPaths.length > 0) {
    options.push({
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('append' as const),
        path: fc.constantFrom(...stringPaths),
        suffix: awkwardSuffix,
      }),
    });
  }
  if (paths.length > 0) {
    options.push(
      {
        weight: 5,
        arbitrary: fc.record({
          kind: fc.constant('replace' as const),
          path: fc.constantFrom(...paths),
          value: boundaryValue,
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('remove' as const),
          path: fc.constantFrom(...paths),
        }),
      },
    );
  }
  return fc.oneof(...options).map((mutation) => mutate(json, mutation));
}

/** The body of a request: a mutated valid body mostly, otherwise any JSON value. */
export function bodyFor(valid: object): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: mutatedBody(valid) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 1, arbitrary: boundaryValue },
  );
}

/** Text that is not JSON, or is JSON that a JSON parser in strict mode refuses. */
export const malformedJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '{',
    '}',
    '{"a":}',
    "{'a': 1}",
    '{"a": 1,}',
    '[1, 2',
    'undefined',
    'NaN',
    '{"a": NaN}',
    '{"a": 1e999999}',
    '\uFEFF{}',
    '{"a":"\\u00"}',
    '{"a":"\\uD800"}',
    '{"__proto__": ',
    'null',
    '"string"',
    '123',
    'true',
    '',
    ' ',
    '\u0000',
  ),
  fc.string({ maxLength: 30 }),
  fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat()).map(([v, n]) => {
    const text = JSON.stringify(v) ?? '';
    return text.slice(0, n % (text.length + 1));
  }),
);

/** Content types a JSON route may be sent, most of them wrong. */
export const oddContentType: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=nonsense',
  'application/merge-patch+json',
  'application/octet-stream',
  '*/*',
  'application/json;;;',
  'json',
);

/**
 * A header value: printable ASCII, overlong, or non-ASCII (UTF-8 bytes sent as latin1, which is
 * how they arrive on the wire). Never CR, LF or NUL, which Node refuses to send.
 */
export const oddHeaderValue: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom('', ' ', 'true', 'false', 'TRUE', '1', 'yes', '\t', 'ü', 'é😀', '\u00ff'),
    fc.integer({ min: 64, max: 8_000 }).map((n) => 'k'.repeat(n)),
    fc.string({ maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.uuid(),
  )
  .map((s) => Buffer.from(s, 'utf8').toString('latin1'))
  .filter((s) => [...s].every((c) => c === '\t' || (c >= ' ' && c !== '\x7f')));

/** A path segment: odd ids, already percent-encoded as a client would send them. */
export const oddPathId: fc.Arbitrary<string> = fc.oneof(
  fc.uuid().map((s) => s),
  fc.constantFrom(
    '%zz',
    '%',
    '%C0%AF',
    '%00',
    '..',
    '.',
    '%2e%2e',
    '%2F',
    'null',
    'undefined',
    '0',
  ),
  boundaryString.map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '?'))),
  fc.integer({ min: 100, max: 9_000 }).map((n) => 'a'.repeat(n)),
);

/** Query strings: odd keys and values, repeated keys, arrays, nested brackets. */
export const oddQuery: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(
            'fromBookingDateTime',
            'toBookingDateTime',
            'page',
            'state',
            'code',
            'id_token',
            'error',
            '__proto__',
            'constructor[prototype]',
            'a[b][c]',
            'page[]',
          ),
          fc.string({ maxLength: 10 }),
        ),
        boundaryString,
      ),
      { maxLength: 4 },
    )
    .map((pairs) =>
      pairs
        .map(
          ([k, v]) =>
            `${encodeURIComponent(k.replace(/[\uD800-\uDFFF]/g, '?'))}=${encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, '?'))}`,
        )
        .join('&'),
    ),
  fc.constantFrom('a=%zz', '%=%', 'page=1&page=2', 'a[__proto__][x]=1', '&&&', '='),
);
