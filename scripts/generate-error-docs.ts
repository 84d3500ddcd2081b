import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPackageRoot } from '@obc/config';
import { ERROR_DOCS_PATH, renderErrorReference } from './error-docs';

/** Regenerates docs/errors.md from ERROR_CATALOGUE (`npm run docs:errors`). */
function main(): void {
  const file = join(findPackageRoot(), ERROR_DOCS_PATH);
  writeFileSync(file, renderErrorReference());
  console.log(`wrote ${file}`);
}

main();
