import { checkProfileFile } from '@obc/bank-profiles';

/** `npm run profile:check <file>...`: validates bank profile files against the published schema. */
function main(argv: string[]): number {
  const files = argv.filter((a) => !a.startsWith('-'));
  if (files.length === 0) {
    console.error('usage: npm run profile:check -- <profile file> [more files]');
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    const result = checkProfileFile(file);
    if (result.ok) {
      console.log(`✓ ${file}`);
    } else {
      failed++;
      console.log(`✗ ${file}`);
      for (const error of result.errors) console.log(`  ${error}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
