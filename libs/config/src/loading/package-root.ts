import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The directory holding the project's package.json, found by walking up from this file, so the
 * same answer comes from `libs/config/src` (ts-node, jest) and `dist/libs/config/src` (built).
 */
export function findPackageRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json found above ${start}`);
    dir = parent;
  }
}

export function defaultBankProfilesDir(): string {
  return join(findPackageRoot(), 'bank-profiles');
}
