import type { INestApplication } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AispReadFastRoute } from '@obc/account-access';
import { ProblemDetailsFilter } from '@obc/common';
import { ApiKeyVerifier, serveFastRoutes } from '@obc/http-api';
import { ConnectorMetrics } from '@obc/observability';

/**
 * The AISP reads served ahead of Express (`serveFastRoutes`), with the app's own API-key
 * verifier, problem+json filter, request logger and HTTP metrics. Called once the app exists and
 * before it listens.
 */
const asIs = (value: unknown): unknown => value;

export function installFastRoutes(app: INestApplication): void {
  const metrics = app.get(ConnectorMetrics);
  serveFastRoutes(app.getHttpServer(), {
    routes: [app.get(AispReadFastRoute)],
    apiKeys: app.get(ApiKeyVerifier),
    problems: app.get(ProblemDetailsFilter),
    // The line's `req` and `res` are already the shapes pino-http's serializers make of a
    // request and a response; passed through as they are, not serialised a second time.
    log: PinoLogger.root.child({}, { serializers: { req: asIs, res: asIs } }),
    record: (method, route, status, seconds) =>
      metrics.recordHttpRequest(method, route, status, seconds),
  });
}
