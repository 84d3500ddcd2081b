import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ConnectorMetrics } from './connector-metrics';

/** The route label of a request no route matched: raw URLs would explode the label set. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Times every API request from arrival to the end of the response, labelled with the route
 * template Express matched (`/v1/manage/bank-registrations/:id`), read when the response ends
 * so requests refused by guards or failing in handlers are counted too.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: ConnectorMetrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    // Nest mounts middleware as a catch-all route, so req.route is that catch-all until (and
    // unless) a controller route matches.
    const ownRoute = routeOf(req);
    let recorded = false;
    const record = (): void => {
      if (recorded) return;
      recorded = true;
      const route = routeOf(req) === ownRoute ? UNMATCHED_ROUTE : routeTemplateOf(req);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.recordHttpRequest(req.method, route, res.statusCode, seconds);
    };
    // 'close' also covers callers that hang up before the response is finished.
    res.once('finish', record);
    res.once('close', record);
    next();
  }
}

interface MatchedRoute {
  path?: unknown;
}

function routeOf(req: Request): MatchedRoute | undefined {
  return (req as Request & { route?: MatchedRoute }).route;
}

/** `baseUrl` + the matched route's path: the template, with `:params`, not the request URL. */
export function routeTemplateOf(req: Request): string {
  const route = routeOf(req);
  if (!route || typeof route.path !== 'string') return UNMATCHED_ROUTE;
  return `${req.baseUrl ?? ''}${route.path}`;
}
