import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import { assignRequestId } from '@obc/common';
import type { ApiKeyVerifier } from './auth/api-key.verifier';

/** What a fast route sees of a request: its path, and its query parsed as Express parses it. */
export interface FastRequest {
  method: string;
  /** The path as sent (not decoded), without the query string. */
  path: string;
  query: Record<string, string | string[] | undefined>;
  headers: IncomingHttpHeaders;
}

/** A request a fast route has taken on. */
export interface FastRouteMatch {
  /** The route template as Express writes it (`/v1/aisp/accounts/:accountId`): the metrics label. */
  template: string;
  /** Serves it: the JSON body of a 200, and headers to add; a rejection is rendered as a problem. */
  serve(): Promise<{ body: unknown; headers?: Record<string, string> }>;
}

/** A route served ahead of Express and Nest (see serveFastRoutes). */
export interface FastRoute {
  /** The match, when this route serves the request exactly as its controller would; no side effects. */
  match(request: FastRequest): FastRouteMatch | undefined;
}

/** The request log line, with the fields and message pino-http writes for every other route. */
export interface FastRouteLogger {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface FastRoutesOptions {
  routes: readonly FastRoute[];
  apiKeys: Pick<ApiKeyVerifier, 'identify'>;
  /** Renders a rejection as problem+json on Node's response (ProblemDetailsFilter.respond). */
  problems: { respond(thrown: unknown, req: IncomingMessage, res: ServerResponse): void };
  log: FastRouteLogger;
  /** Counts and times the request under its route template (ConnectorMetrics.recordHttpRequest). */
  record(method: string, route: string, status: number, seconds: number): void;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Serves a few hot routes ahead of the Express app on the HTTP server, everything else going to
 * Express unchanged.
 *
 * Why: the AISP read is the call a connector makes most, and the one that must add least to the
 * bank's answer. Express 5 with its router, body parsers and the per-request child logger of
 * pino-http cost more CPU than the read itself (docs/performance.md); here a read costs the
 * service call plus one log line and one metric.
 *
 * What stays the same: the request id (the caller's or a new one, echoed), the API-key check
 * (the same verifier as the guard), the service the controller calls, the answer (200
 * `application/json; charset=utf-8` with its length, or the problem+json the global filter
 * renders), the request log line and the HTTP metrics. A fast route only takes a request it can
 * serve exactly so: a GET with no body, a valid `Authorization: Bearer` API key and no
 * `access_token` parameter. Anything else (no or a wrong key, a trailing slash, another case, a
 * HEAD) goes to Express, whose guard and router answer it. The parity of both paths is tested
 * (fast-routes.spec.ts and the account-access e2e suite).
 */
export function serveFastRoutes(server: Server, options: FastRoutesOptions): void {
  const listeners = server.listeners('request') as RequestListener[];
  if (listeners.length !== 1) {
    throw new Error(
      `fast routes: expected the app as the one request listener, found ${listeners.length}`,
    );
  }
  const [app] = listeners;
  const fast = fastRouteListener(options, (req, res) => app.call(server, req, res));
  server.removeListener('request', app);
  server.on('request', fast);
}

/** The request listener: a fast route's answer, or `next` (the app) for everything else. */
export function fastRouteListener(
  options: FastRoutesOptions,
  next: RequestListener,
): RequestListener {
  return (req, res) => {
    let taken: FastRouteMatch | undefined;
    try {
      taken = take(options, req);
    } catch {
      taken = undefined; // whatever a fast route cannot decide, Express answers
    }
    if (!taken) return next(req, res);
    void answer(options, req, res, taken);
  };
}

function take(options: FastRoutesOptions, req: IncomingMessage): FastRouteMatch | undefined {
  if (req.method !== 'GET' || hasBody(req)) return undefined;
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const request: FastRequest = {
    method: req.method,
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? {} : (parseQueryString(url.slice(q + 1)) as FastRequest['query']),
    headers: req.headers,
  };
  // passport-http-bearer also reads a token from `access_token`; such requests go to the guard.
  if ('access_token' in request.query) return undefined;
  let match: FastRouteMatch | undefined;
  for (const route of options.routes) {
    match = route.match(request);
    if (match) break;
  }
  if (!match || !authenticated(options, req.headers.authorization)) return undefined;
  return match;
}

/** A valid API key in the one form the guard's bearer strategy reads unambiguously. */
function authenticated(options: FastRoutesOptions, header: string | undefined): boolean {
  if (header === undefined) return false;
  const parts = header.split(' ');
  if (parts.length !== 2 || !/^Bearer$/i.test(parts[0])) return false;
  return options.apiKeys.identify(parts[1]) !== undefined;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

async function answer(
  options: FastRoutesOptions,
  req: IncomingMessage,
  res: ServerResponse,
  match: FastRouteMatch,
): Promise<void> {
  const started = process.hrtime.bigint();
  const requestId = assignRequestId(req, res);
  try {
    const { body, headers } = await match.serve();
    const json = JSON.stringify(body);
    res
      .writeHead(200, {
        ...headers,
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(json),
      })
      .end(json);
  } catch (error: unknown) {
    try {
      options.problems.respond(error, req, res);
    } catch {
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    }
  }
  const elapsed = Number(process.hrtime.bigint() - started);
  const status = res.statusCode;
  const fields = {
    req: { method: req.method, url: req.url?.split('?')[0] },
    requestId,
    res: { statusCode: status },
    responseTime: Math.round(elapsed / 1e6),
  };
  try {
    if (status >= 500) options.log.error(fields, 'request errored');
    else options.log.info(fields, 'request completed');
    options.record(req.method ?? 'GET', match.template, status, elapsed / 1e9);
  } catch {
    // Logging and metrics must never fail a request that has been answered.
  }
}
