import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { checkProfileFile } from '@obc/bank-profiles';
import { planProfile } from '../test/support/profile-contract';

/** The repository root: the nearest folder above this file with a package.json (src or dist). */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const USAGE = 'usage: npm run profile:check -- [--schema-only] <profile file> [more files]';

/**
 * `npm run profile:check <file>...`: validates bank profile files against the published schema,
 * then runs the bank-profile contract (test/e2e/profile-contract.e2e-spec.ts) for them against
 * the mock bank in each profile's quirk mode. Needs a build (`npm run build`): the contract
 * starts the mock bank and the connector from dist/.
 */
function main(argv: string[]): number {
  const schemaOnly = argv.includes('--schema-only');
  const unknown = argv.filter((a) => a.startsWith('-') && a !== '--schema-only');
  const files = argv.filter((a) => !a.startsWith('-')).map((f) => resolve(f));
  if (files.length === 0 || unknown.length > 0) {
    console.error(unknown.length ? `unknown option ${unknown.join(', ')}\n${USAGE}` : USAGE);
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    const result = checkProfileFile(file);
    if (result.ok) {
      console.log(`✓ ${file}: valid against the profile schema`);
    } else {
      failed++;
      console.log(`✗ ${file}`);
      for (const error of result.errors) console.log(`  ${error}`);
    }
  }
  if (failed > 0) {
    console.error(`\n${failed} profile file(s) are not valid; fix them before the contract runs.`);
    return 1;
  }
  if (schemaOnly) return 0;

  // A profile the contract cannot run yet is not checked: say so and fail, never pass silently.
  const skipped = files
    .map((file) => ({ file, reason: planProfile(file, true).skip }))
    .filter((p): p is { file: string; reason: string } => p.reason !== undefined);
  if (skipped.length > 0) {
    for (const { file, reason } of skipped)
      console.error(`✗ ${file}: the contract cannot run it against the mock bank yet: ${reason}.`);
    return 1;
  }

  const root = repoRoot();
  if (!existsSync(join(root, 'dist/apps/mock-bank/src/main.js'))) {
    console.error(
      'The contract starts the mock bank and the connector from dist/: run `npm run build` first.',
    );
    return 1;
  }
  console.log(
    '\nRunning the bank-profile contract against the mock bank in each profile’s quirk mode...',
  );
  const jest = spawnSync(
    process.execPath,
    [
      require.resolve('jest/bin/jest', { paths: [root] }),
      '--selectProjects',
      'e2e',
      '--testPathPatterns',
      'profile-contract\\.e2e-spec',
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        PROFILE_CONTRACT_FILES: files.join(delimiter),
        PROFILE_CONTRACT_ONLY: '1',
      },
    },
  );
  if (jest.status !== 0) {
    console.error(
      `\n✗ The bank-profile contract failed for ${files.join(', ')}: the failing step and the bank's answer are above.`,
    );
    return 1;
  }
  console.log(`\n✓ ${files.join(', ')}: valid and the contract passes against the mock bank.`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
