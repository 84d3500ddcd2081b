import { INestApplication, VersioningType } from '@nestjs/common';
import { createValidationPipe, requestIdMiddleware } from '@obc/common';

/**
 * Everything an app instance needs before it serves: request ids, URI versioning (`/v1`), the
 * global validation pipe. Used by main.ts, the OpenAPI generator and tests alike, so they all
 * describe and serve the same API.
 */
export function configureApp(app: INestApplication): void {
  app.use(requestIdMiddleware);
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
}
