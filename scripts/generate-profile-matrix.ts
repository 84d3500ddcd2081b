import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPackageRoot } from '@obc/config';
import { loadShippedProfiles, PROFILE_MATRIX_PATH, renderProfileMatrix } from './profile-matrix';

/** Regenerates docs/bank-profiles-matrix.md from bank-profiles/ (`npm run docs:profiles`). */
function main(): void {
  const root = findPackageRoot();
  const file = join(root, PROFILE_MATRIX_PATH);
  writeFileSync(file, renderProfileMatrix(loadShippedProfiles(root)));
  console.log(`wrote ${file}`);
}

main();
