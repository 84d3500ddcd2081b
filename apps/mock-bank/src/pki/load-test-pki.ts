import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PKI_MANIFEST_FILE, type PkiFiles, type PkiManifest } from './pki-manifest';

export type PkiPems = { [K in keyof PkiFiles]: string };

export interface LoadedPki {
  dir: string;
  manifest: PkiManifest;
  pem: PkiPems;
}

/** Reads `pki.json` and every file it names; fails with the directory and the generator to run. */
export async function loadTestPki(dir: string): Promise<LoadedPki> {
  let manifest: PkiManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, PKI_MANIFEST_FILE), 'utf8')) as PkiManifest;
  } catch (err) {
    throw new Error(
      `No test PKI at ${dir} (${(err as Error).message}). Generate one with ` +
        '`node dist/scripts/generate-test-pki.js --out <dir>` (npm run pki) and point MOCK_BANK_PKI_DIR at it.',
      { cause: err },
    );
  }
  const entries = await Promise.all(
    (Object.keys(manifest.files) as (keyof PkiFiles)[]).map(
      async (key) => [key, await readFile(join(dir, manifest.files[key]), 'utf8')] as const,
    ),
  );
  return { dir, manifest, pem: Object.fromEntries(entries) as PkiPems };
}
