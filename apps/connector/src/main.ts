import 'reflect-metadata';
import { DynamicModule, Module, OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import {
  ConfigValidationError,
  ConnectorConfig,
  loadConnectorConfigFromProcess,
} from '@obc/config';
import { RunningTracing, startTracing, tracingSettingsFrom } from '@obc/observability';
import { CONNECTOR_VERSION } from './version';

/** Exports the spans still buffered when the app shuts down (SIGTERM included). */
class TracingShutdown implements OnApplicationShutdown {
  constructor(private readonly tracing: RunningTracing) {}

  onApplicationShutdown(): Promise<void> {
    return this.tracing.shutdown();
  }
}

@Module({})
class TracedConnectorModule {}

function withTracingShutdown(app: DynamicModule, tracing: RunningTracing): DynamicModule {
  return {
    module: TracedConnectorModule,
    imports: [app],
    providers: [{ provide: TracingShutdown, useValue: new TracingShutdown(tracing) }],
  };
}

async function bootstrap(): Promise<void> {
  // Validate the configuration before Nest starts, so a bad one is reported as a plain list of
  // variables and what each expects, not as a stack trace.
  const loaded = await loadConnectorConfigFromProcess();
  const tracingSettings = tracingSettingsFrom(loaded, CONNECTOR_VERSION);
  const tracing = tracingSettings ? await startTracing(tracingSettings) : undefined;
  // The app (express, passport, axios, the bank clients) is loaded only now, after the HTTP
  // instrumentation is registered, so that inbound and outbound calls are traced.
  const { AppModule } = await import('./app.module');
  const { buildOpenApiDocument, configureApp, mountOpenApi } = await import('@obc/http-api');
  const root = tracing ? withTracingShutdown(AppModule.forRoot(), tracing) : AppModule.forRoot();
  const app = await NestFactory.create(root, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  configureApp(app);
  mountOpenApi(app, buildOpenApiDocument(app, CONNECTOR_VERSION));
  const { installFastRoutes } = await import('./fast-routes');
  await app.init();
  installFastRoutes(app);
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
