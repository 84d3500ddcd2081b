/**
 * Makes an official OB OpenAPI document digestible by strict validators: some v4 documents put
 * keys beside `$ref` (which JSON Schema draft-07 ignores but Ajv's strict compile trips over) and
 * repeat an enum value, and openapi-backend then silently loads no operations. Returns a copy.
 */
export function sanitiseSpec<T>(document: T): T {
  return walk(document) as T;
}

function walk(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(walk);
  if (node === null || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  if (typeof record.$ref === 'string') return { $ref: record.$ref };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    out[key] = key === 'enum' && Array.isArray(value) ? [...new Set(value)] : walk(value);
  }
  return out;
}
