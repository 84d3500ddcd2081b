import { INestApplication, VersioningType } from '@nestjs/common';
import {
  answerClientErrorsWithProblems,
  createValidationPipe,
  requestIdMiddleware,
} from '@obc/common';

/**
 * Everything an app instance needs before it serves: request ids, URI versioning (`/v1`), the
 * global validation pipe, problem+json for what Node's HTTP parser refuses. Used by main.ts,
 * the OpenAPI generator and tests alike, so they all describe and serve the same API.
 */
export function configureApp(app: INestApplication): void {
  // No `X-Powered-By: Express` (it names the stack to scanners) and no ETag: Express would hash
  // every response body to make one, and API answers (bank data, problems) are not cached by
  // validators. Absent in Nest's preview mode (the OpenAPI generator).
  const express = app.getHttpAdapter?.()?.getInstance?.() as
    { disable?(setting: string): unknown } | undefined;
  express?.disable?.('x-powered-by');
  express?.disable?.('etag');
  app.use(requestIdMiddleware);
  // Absent in Nest's preview mode (the OpenAPI generator), where nothing is served.
  const server = app.getHttpServer() as
    Parameters<typeof answerClientErrorsWithProblems>[0] | undefined;
  if (typeof server?.on === 'function') answerClientErrorsWithProblems(server);
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
}
