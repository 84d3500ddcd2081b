// Writes the throw-away test PKI (CA, bank server, TPP transport/signing, directory key) and
// its manifest pki.json. Usage: node dist/scripts/generate-test-pki.js --out <dir>
import { resolve } from 'node:path';
import { generateTestPki } from '../apps/mock-bank/src/pki';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const out = argValue('--out');
  if (!out) {
    console.error(
      'usage: generate-test-pki --out <dir> [--organisation-id <18 chars>] [--software-id <22 chars>]',
    );
    process.exit(2);
  }
  const dir = resolve(out);
  const manifest = await generateTestPki(dir, {
    organisationId: argValue('--organisation-id'),
    softwareId: argValue('--software-id'),
  });
  console.log(
    `test PKI written to ${dir} (organisation ${manifest.organisationId}, software ${manifest.softwareId})`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
