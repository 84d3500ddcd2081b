import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPackageRoot } from '@obc/config';
import { serialiseOpenApi } from '@obc/http-api';
import { generateOpenApiDocument } from '../apps/connector/src/openapi-document';

/** Regenerates docs/openapi.json from the code (`npm run openapi:generate`). */
async function main(): Promise<void> {
  const file = join(findPackageRoot(), 'docs', 'openapi.json');
  writeFileSync(file, serialiseOpenApi(await generateOpenApiDocument()));
  console.log(`wrote ${file}`);
}

void main();
