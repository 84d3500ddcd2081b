import { request as httpRequest, Agent } from 'node:http';
import fc from 'fast-check';
import type { Client } from 'pg';
import { bodyFor, malformedJsonText, oddContentType, oddHeaderValue } from './input-arbitraries';
import { snapshotTables, type TableSnapshot } from './in-process-connector';

/** One raw HTTP request, as sent on the wire (no client-side JSON handling). */
export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

export function sendRaw(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const payload = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
    const headers: Record<string, string> = { ...req.headers };
    if (payload) headers['content-length'] = String(payload.length);
    const r = httpRequest(
      baseUrl + req.path,
      { method: req.method, headers, agent, timeout: 60_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`timeout: ${req.method} ${req.path}`)));
    r.on('error', reject);
    if (payload) r.write(payload);
    r.end();
  });
}

export function closeRawAgent(): void {
  agent.destroy();
}

/** How a route answers errors: problem+json (the API) or an HTML page (the redirect landing). */
export type ErrorStyle = 'problem' | 'html';

/** A route under test and the arbitrary requests it gets. */
export interface RouteProperty {
  name: string;
  requests: fc.Arbitrary<RawRequest>;
  errors?: ErrorStyle;
  /**
   * Tables whose rows a refused request may update but never add to or remove from: the redirect
   * delegate redeems its single-use state (and records a refusal on the consent) even when it
   * then refuses the redirect.
   */
  mayUpdate?: string[];
  /** A further check of every response of this route. */
  also?: (res: RawResponse) => void;
}

const STATUSES_ALLOWED_ABOVE_499 = new Set([501, 502, 503, 504]);

/** What a response must look like, whatever the input: never a 500, errors as problem+json. */
export function checkResponse(res: RawResponse, errors: ErrorStyle = 'problem'): void {
  const where = `HTTP ${res.status} ${res.contentType}: ${res.text.slice(0, 600)}`;
  if (res.status === 500 || res.status < 100 || res.status > 599)
    throw new Error(`unexpected status: ${where}`);
  if (res.status >= 500 && !STATUSES_ALLOWED_ABOVE_499.has(res.status))
    throw new Error(`unexpected 5xx: ${where}`);
  if (res.status < 400) return;
  // The landing page answers with HTML naming the problem code, except where the global pipe
  // refuses the query before the page's handler runs (then it is the API's problem+json).
  if (errors === 'html' && !res.contentType.startsWith('application/problem+json')) {
    if (!res.contentType.startsWith('text/html')) throw new Error(`not an HTML page: ${where}`);
    if (!/>[a-z-]+\/[a-z-]+: /.test(res.text)) throw new Error(`the page names no code: ${where}`);
    return;
  }
  if (!res.contentType.startsWith('application/problem+json'))
    throw new Error(`error is not problem+json: ${where}`);
  const problem = JSON.parse(res.text) as Record<string, unknown>;
  for (const member of ['type', 'title', 'code', 'detail'])
    if (typeof problem[member] !== 'string' || problem[member] === '')
      throw new Error(`problem without a ${member}: ${where}`);
  if (problem.status !== res.status) throw new Error(`problem status differs: ${where}`);
  if (problem.code === 'internal/error') throw new Error(`internal error: ${where}`);
  if (res.status >= 500 && !String(problem.code).startsWith('bank/'))
    throw new Error(`a 5xx that is not a bank problem: ${where}`);
}

/**
 * Runs requests against the app and checks each response, and that a refused request changed
 * no table. The idempotency records are the one exception: a request refused inside the
 * idempotent work completes its record with the error (so a replay answers the same), but no
 * request may leave one in progress.
 */
export class InputPropertyRunner {
  private baseline?: TableSnapshot;
  readonly statuses = new Map<number, number>();

  constructor(
    private readonly baseUrl: string,
    private readonly sql: Client,
  ) {}

  async send(
    req: RawRequest,
    errors: ErrorStyle = 'problem',
    mayUpdate: string[] = [],
  ): Promise<RawResponse> {
    const before = this.baseline ?? (await snapshotTables(this.sql));
    const res = await sendRaw(this.baseUrl, req);
    this.statuses.set(res.status, (this.statuses.get(res.status) ?? 0) + 1);
    const after = await snapshotTables(this.sql);
    // The next request compares with what this one left, whatever the outcome of the checks.
    this.baseline = after;
    checkResponse(res, errors);
    const { rows } = await this.sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM idempotency_record WHERE status = 'in-progress'`,
    );
    if (Number(rows[0].n) !== 0)
      throw new Error(`an idempotency record was left in progress by ${req.method} ${req.path}`);
    if (res.status >= 400) {
      const changed = Object.keys({ ...after, ...before }).filter(
        (table) =>
          table !== 'idempotency_record' &&
          (mayUpdate.includes(table)
            ? after[table]?.rows !== before[table]?.rows
            : JSON.stringify(after[table]) !== JSON.stringify(before[table])),
      );
      if (changed.length > 0)
        throw new Error(
          `refused with ${res.status} but changed ${changed.join(', ')}: ${res.text.slice(0, 300)}`,
        );
    }
    return res;
  }

  /** Forgets the last snapshot: the next request compares with the tables as they are then. */
  resync(): void {
    this.baseline = undefined;
  }

  /** Checks one route over `numRuns` arbitrary requests, then that the process still answers. */
  async check(route: RouteProperty, numRuns: number): Promise<void> {
    await fc.assert(
      fc.asyncProperty(route.requests.map(printable), async (req) => {
        const res = await this.send(req, route.errors, route.mayUpdate);
        route.also?.(res);
      }),
      {
        numRuns,
        endOnFailure: false,
        interruptAfterTimeLimit: 60_000,
        markInterruptAsFailure: false,
      },
    );
    const live = await sendRaw(this.baseUrl, { method: 'GET', path: '/health/live', headers: {} });
    if (live.status !== 200)
      throw new Error(`/health/live answered ${live.status} after ${route.name}`);
  }
}

/** Counterexamples print with long strings cut, so a failure stays readable. */
function printable(req: RawRequest): RawRequest {
  const cut = (v: string) => (v.length > 200 ? `${v.slice(0, 200)}…(${v.length} chars)` : v);
  return Object.assign(req, {
    [fc.toStringMethod]: () =>
      `${req.method} ${cut(req.path)} headers=${cut(JSON.stringify(req.headers))} body=${req.body === undefined ? '-' : cut(req.body)}`,
  });
}

export interface RequestContext {
  apiKey: string;
}

/** A JSON body route: mutated valid bodies, any JSON value, sometimes an idempotency key. */
export function jsonRoute(
  ctx: RequestContext,
  method: string,
  path: string,
  valid: object,
  options: { idempotent?: boolean } = {},
): RouteProperty {
  // Mostly a fresh key (so valid bodies reach the bank), sometimes none, sometimes an odd one.
  const key: fc.Arbitrary<string | undefined> = options.idempotent
    ? fc.oneof(
        { weight: 6, arbitrary: fc.uuid() },
        { weight: 2, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: oddHeaderValue },
      )
    : fc.constant(undefined);
  return {
    name: `${method} ${path}`,
    requests: fc.tuple(bodyFor(valid), key).map(([body, idempotencyKey]) => ({
      method,
      path,
      headers: {
        authorization: `Bearer ${ctx.apiKey}`,
        'content-type': 'application/json',
        accept: 'application/json',
        ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
      },
      body: JSON.stringify(body),
    })),
  };
}

/** The same route with malformed JSON, odd content types and encodings, odd idempotency keys. */
export function rawBodyRoute(
  ctx: RequestContext,
  method: string,
  path: string,
  valid: object,
): RouteProperty {
  const validText = JSON.stringify(valid);
  return {
    name: `${method} ${path} (raw)`,
    requests: fc
      .record({
        body: fc.oneof(malformedJsonText, fc.constant(validText)),
        contentType: oddContentType,
        encoding: fc.constantFrom(
          undefined,
          undefined,
          'gzip',
          'deflate',
          'br',
          'x-unknown',
          'identity',
        ),
        idempotencyKey: fc.option(oddHeaderValue, { nil: undefined }),
        interactionId: fc.option(oddHeaderValue, { nil: undefined }),
      })
      .map(({ body, contentType, encoding, idempotencyKey, interactionId }) => {
        const headers: Record<string, string> = { authorization: `Bearer ${ctx.apiKey}` };
        if (contentType) headers['content-type'] = contentType;
        if (encoding) headers['content-encoding'] = encoding;
        if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
        if (interactionId !== undefined) headers['x-fapi-interaction-id'] = interactionId;
        return { method, path, headers, body };
      }),
  };
}

/** Reads and deletes: odd ids in the path, odd header values. */
export function idRoute(
  ctx: RequestContext,
  method: string,
  pathFor: (id: string) => string,
  ids: fc.Arbitrary<string>,
  headerNames: string[] = [],
): RouteProperty {
  return {
    name: `${method} ${pathFor('{id}')}`,
    requests: fc
      .tuple(
        ids,
        fc.array(
          fc.tuple(
            fc.constantFrom(...headerNames, 'x-fapi-interaction-id', 'x-request-id'),
            oddHeaderValue,
          ),
          {
            maxLength: 2,
          },
        ),
      )
      .map(([id, extra]) => ({
        method,
        path: pathFor(id),
        headers: { authorization: `Bearer ${ctx.apiKey}`, ...Object.fromEntries(extra) },
      })),
  };
}
