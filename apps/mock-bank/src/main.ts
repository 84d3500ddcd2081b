import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startMockBank } from './mock-bank';
import { MockBankConfigError, mockBankOptionsFromEnv } from './mock-bank-options';

/** The repository root: the nearest folder above this file with a package.json (src or dist). */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

async function main(): Promise<void> {
  const { directorySeedFile, ...options } = mockBankOptionsFromEnv(process.env, repoRoot());
  const directorySeed = directorySeedFile
    ? (JSON.parse(readFileSync(directorySeedFile, 'utf8')) as unknown)
    : [];
  if (!Array.isArray(directorySeed))
    throw new MockBankConfigError(
      `MOCK_BANK_DIRECTORY_SEED: ${directorySeedFile} must hold a JSON array`,
    );
  const bank = await startMockBank({ ...options, directorySeed });
  process.stdout.write(`mock-bank listening on ${bank.url}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    bank.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
