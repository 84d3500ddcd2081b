import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPackageRoot, renderConfigurationReference } from '@obc/config';

/** Regenerates docs/configuration.md from CONFIG_SETTINGS (`npm run docs:config`). */
function main(): void {
  const file = join(findPackageRoot(), 'docs', 'configuration.md');
  writeFileSync(file, renderConfigurationReference());
  console.log(`wrote ${file}`);
}

main();
