import { NestFactory } from '@nestjs/core';
import { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument, configureApp } from '@obc/http-api';
import { AppModule } from './app.module';
import { CONNECTOR_VERSION } from './version';

/**
 * The OpenAPI document as the running service would serve it, built in Nest's preview mode:
 * modules are scanned but no provider runs, so no database, configuration or bank is needed.
 */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(AppModule.forRoot({ env: {} }), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  configureApp(app);
  const document = buildOpenApiDocument(app, CONNECTOR_VERSION);
  await app.close();
  return document;
}
