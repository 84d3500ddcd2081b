import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Ledger } from '../admin/ledger';
import { FaultValidationError } from './fault-injector';

/**
 * How the bank misbehaves on the wire:
 * - `status`: answers a 5xx (an OB error body), with `Retry-After` when given;
 * - `rate-limit`: answers 429 with `Retry-After` (default 1 s);
 * - `slow`: handles the request normally but sends the answer `delayMs` late (past a client's timeout);
 * - `malformed-json`: answers 200 `application/json` with a body that is not JSON;
 * - `truncate`: declares a `Content-Length`, sends part of the body and closes the connection;
 * - `reset`: accepts the request, then resets the connection without answering.
 */
export const NETWORK_FAULTS = [
  'status',
  'rate-limit',
  'slow',
  'malformed-json',
  'truncate',
  'reset',
] as const;
export type NetworkFaultKind = (typeof NETWORK_FAULTS)[number];

/** Which requests a fault hits: the Open Banking resource APIs, the token endpoint, or both. */
export const NETWORK_FAULT_TARGETS = ['resources', 'token', 'all'] as const;
export type NetworkFaultTarget = (typeof NETWORK_FAULT_TARGETS)[number];

export interface NetworkFault {
  fault: NetworkFaultKind;
  target: NetworkFaultTarget;
  /** Only requests whose path starts with this (e.g. `/open-banking/v4.0/aisp/accounts`). */
  pathPrefix?: string;
  /** Only requests for this host name (the Host header without its port), e.g. `localhost`. */
  host?: string;
  /** Only this HTTP method. */
  method?: string;
  /** For `status`: 500-599. */
  status?: number;
  /** For `rate-limit` and `status`: delay seconds, or an HTTP date. */
  retryAfter?: string;
  /** For `slow`: milliseconds. */
  delayMs?: number;
  /** How many matching requests it hits before clearing itself; absent: until reset. */
  remaining?: number;
  /** Requests hit so far. */
  hits: number;
}

const RESOURCE_PREFIX = '/open-banking/';
const TOKEN_PATH = '/token';
const MAX_DELAY_MS = 120_000;

function integer(name: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new FaultValidationError(`${name} must be an integer ${min}-${max}`);
  return value;
}

function text(name: string, value: unknown, pattern: RegExp, expected: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > 200 || !pattern.test(value))
    throw new FaultValidationError(`${name} must be ${expected}`);
  return value;
}

function oneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw new FaultValidationError(`${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

const KNOWN_FIELDS = [
  'fault',
  'target',
  'pathPrefix',
  'host',
  'method',
  'status',
  'retryAfter',
  'delayMs',
  'times',
];

/** Validates the admin input into a fault; every problem is a FaultValidationError (400). */
export function parseNetworkFault(input: unknown): NetworkFault {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new FaultValidationError('the body must be a JSON object');
  const body = input as Record<string, unknown>;
  const unknown = Object.keys(body).filter((k) => !KNOWN_FIELDS.includes(k));
  if (unknown.length)
    throw new FaultValidationError(
      `unknown field(s) ${unknown.join(', ')}; allowed: ${KNOWN_FIELDS.join(', ')}`,
    );
  const fault = oneOf('fault', body.fault, NETWORK_FAULTS);
  if (!fault)
    throw new FaultValidationError(`fault is required: one of ${NETWORK_FAULTS.join(', ')}`);
  const status = integer('status', body.status, 500, 599);
  const delayMs = integer('delayMs', body.delayMs, 1, MAX_DELAY_MS);
  const times = integer('times', body.times, 1, 10_000);
  let retryAfter: string | undefined;
  if (typeof body.retryAfter === 'number') {
    retryAfter = String(integer('retryAfter', body.retryAfter, 0, 86_400));
  } else if (body.retryAfter !== undefined) {
    retryAfter = text(
      'retryAfter',
      body.retryAfter,
      /^(\d{1,5}|[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)$/,
      'delay seconds or an HTTP date (e.g. Sun, 06 Dec 2026 10:00:00 GMT)',
    );
  }
  if (fault === 'status' && status === undefined)
    throw new FaultValidationError('fault status needs status (500-599)');
  if (fault !== 'status' && status !== undefined)
    throw new FaultValidationError('status applies to fault status only');
  if (fault === 'slow' && delayMs === undefined)
    throw new FaultValidationError('fault slow needs delayMs');
  if (fault !== 'slow' && delayMs !== undefined)
    throw new FaultValidationError('delayMs applies to fault slow only');
  if (retryAfter !== undefined && fault !== 'status' && fault !== 'rate-limit')
    throw new FaultValidationError('retryAfter applies to faults status and rate-limit only');
  return {
    fault,
    target: oneOf('target', body.target, NETWORK_FAULT_TARGETS) ?? 'resources',
    pathPrefix: text('pathPrefix', body.pathPrefix, /^\/[\x21-\x7e]*$/, 'a path starting with /'),
    host: text('host', body.host, /^[A-Za-z0-9.-]+$/, 'a host name without port'),
    method: text('method', body.method, /^(GET|POST|PUT|PATCH|DELETE)$/, 'an HTTP method'),
    status,
    retryAfter: fault === 'rate-limit' ? (retryAfter ?? '1') : retryAfter,
    delayMs,
    remaining: times,
    hits: 0,
  };
}

/**
 * Network-level faults for the resource endpoints and the token endpoint, set through
 * POST /__admin/faults/network. Each request a fault hits is recorded in the ledger
 * (`network.fault`), so tests can count the calls a client made, retries included.
 */
export class NetworkFaults {
  private active: NetworkFault | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly ledger: Ledger) {}

  set(input: unknown): NetworkFault {
    this.active = parseNetworkFault(input);
    return this.current() as NetworkFault;
  }

  reset(): void {
    this.active = undefined;
  }

  current(): NetworkFault | undefined {
    return this.active ? { ...this.active } : undefined;
  }

  /** Clears pending slow answers (at shutdown). */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Express middleware, mounted before the resource routers and oidc-provider. */
  middleware(): RequestHandler {
    return (req, res, next) => {
      const fault = this.take(req);
      if (!fault) return next();
      this.apply(fault, req, res, next);
    };
  }

  private take(req: Request): NetworkFault | undefined {
    const f = this.active;
    if (!f || !matches(f, req)) return undefined;
    f.hits += 1;
    if (f.remaining !== undefined) {
      f.remaining -= 1;
      if (f.remaining <= 0) this.active = undefined;
    }
    return { ...f };
  }

  private apply(f: NetworkFault, req: Request, res: Response, next: NextFunction): void {
    const endpoint = `${req.method} ${req.path}`;
    const record = (bodySha256?: string) =>
      this.ledger.record({
        type: 'network.fault',
        endpoint,
        error: f.fault,
        idempotencyKey: header(req, 'x-idempotency-key'),
        bodySha256,
      });
    if (f.fault === 'slow') {
      // The bank does the work at once (a payment is made) and only its answer is late, so a
      // client that gives up waiting does not know whether the request took effect.
      record();
      const end = res.end.bind(res) as (...args: unknown[]) => Response;
      res.end = ((...args: unknown[]) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          end(...args);
        }, f.delayMs);
        timer.unref();
        this.timers.add(timer);
        return res;
      }) as Response['end'];
      return next();
    }
    if (f.fault === 'reset') {
      record();
      resetConnection(req);
      return;
    }
    // The other faults read the whole request first, as a real server would before answering.
    readBody(req, (raw) => {
      record(sha256(raw));
      answer(f, req, res);
    });
  }
}

function readBody(req: Request, done: (raw: Buffer) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => done(Buffer.concat(chunks)));
}

function sha256(raw: Buffer): string | undefined {
  return raw.length ? createHash('sha256').update(raw).digest('hex') : undefined;
}

function answer(f: NetworkFault, req: Request, res: Response): void {
  const interaction = header(req, 'x-fapi-interaction-id');
  if (interaction) res.setHeader('x-fapi-interaction-id', interaction);
  switch (f.fault) {
    case 'status':
    case 'rate-limit': {
      const status = f.fault === 'status' ? (f.status ?? 503) : 429;
      if (f.retryAfter !== undefined) res.setHeader('retry-after', f.retryAfter);
      res.status(status).json({
        Code: String(status),
        Message: 'fault injected by the mock bank',
        Errors: [
          {
            ErrorCode:
              status === 429 ? 'UK.OBIE.Rules.ResourceLimitExceeded' : 'UK.OBIE.UnexpectedError',
            Message: 'fault injected by the mock bank',
          },
        ],
      });
      return;
    }
    case 'malformed-json':
      res.status(200).type('application/json').send('{"Data": {"Account": [{"AccountId": ');
      return;
    case 'truncate': {
      const partial = '{"Data": {"Account": [';
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(partial.length + 500),
      });
      res.write(partial, () => setTimeout(() => req.socket.destroy(), 20));
      return;
    }
    default:
      res.status(500).end();
  }
}

function matches(f: NetworkFault, req: Request): boolean {
  const path = req.path;
  const inTarget =
    f.target === 'all'
      ? path.startsWith(RESOURCE_PREFIX) || path === TOKEN_PATH
      : f.target === 'token'
        ? path === TOKEN_PATH
        : path.startsWith(RESOURCE_PREFIX);
  if (!inTarget) return false;
  if (f.pathPrefix && !path.startsWith(f.pathPrefix)) return false;
  if (f.method && req.method !== f.method) return false;
  if (f.host && hostName(req) !== f.host.toLowerCase()) return false;
  return true;
}

function hostName(req: Request): string {
  const host = (req.headers.host ?? '').toLowerCase();
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
}

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Accept-then-reset: a TCP RST where Node can send one, a plain close otherwise. */
function resetConnection(req: Request): void {
  const socket = req.socket as Request['socket'] & { resetAndDestroy?: () => void };
  try {
    if (typeof socket.resetAndDestroy === 'function') {
      socket.resetAndDestroy();
      return;
    }
  } catch {
    // fall through to a plain destroy
  }
  socket.destroy();
}
