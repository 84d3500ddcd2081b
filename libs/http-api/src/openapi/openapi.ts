import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_TITLE = 'UK Open Banking Connector';

/** The connector's OpenAPI document, generated from the controllers and DTOs. */
export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(OPENAPI_TITLE)
    .setDescription(
      'One HTTP API over many UK banks: bank registration (UK DCR), account access (AISP), payment ' +
        'initiation (PISP) and variable recurring payments (VRP). Errors are RFC 9457 ' +
        'application/problem+json with a stable `code`. Authenticate with `Authorization: Bearer <api-key>`; ' +
        '`/health/*` is open.',
    )
    .setVersion(version)
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'One of the keys configured in API_KEYS.',
    })
    .addSecurityRequirements('bearer')
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) =>
      `${controller.replace(/Controller$/, '')}_${method}`,
  });
}

/** Swagger UI at /docs, the JSON at /docs-json. */
export function mountOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    useGlobalPrefix: false,
  });
}

/** Stable serialisation so the committed file diffs cleanly. */
export function serialiseOpenApi(document: OpenAPIObject): string {
  return JSON.stringify(document, null, 2) + '\n';
}
