import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import {
  ConfigValidationError,
  ConnectorConfig,
  loadConnectorConfigFromProcess,
} from '@obc/config';
import { buildOpenApiDocument, configureApp, mountOpenApi } from '@obc/http-api';
import { AppModule } from './app.module';
import { CONNECTOR_VERSION } from './version';

async function bootstrap(): Promise<void> {
  // Validate the configuration before Nest starts, so a bad one is reported as a plain list of
  // variables and what each expects, not as a stack trace.
  await loadConnectorConfigFromProcess();
  const app = await NestFactory.create(AppModule.forRoot(), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  configureApp(app);
  mountOpenApi(app, buildOpenApiDocument(app, CONNECTOR_VERSION));
  const config = app.get(ConnectorConfig);
  await app.listen(config.server.port, config.server.host);
  const address = app.getHttpServer().address() as { port: number } | null;
  app
    .get(Logger)
    .log(
      `connector listening on http://${config.server.host}:${address?.port ?? config.server.port}`,
    );
}

bootstrap().catch((error: unknown) => {
  // Configuration and start-up errors carry operator-facing messages; print them plainly.
  const message =
    error instanceof ConfigValidationError
      ? error.message
      : error instanceof Error
        ? error.message
        : String(error);
  console.error(`connector failed to start: ${message}`);
  process.exit(1);
});
