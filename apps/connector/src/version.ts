import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPackageRoot } from '@obc/config';

/** The connector's version, from package.json (found from both src/ and dist/). */
export const CONNECTOR_VERSION: string = (
  JSON.parse(readFileSync(join(findPackageRoot(), 'package.json'), 'utf8')) as { version: string }
).version;
