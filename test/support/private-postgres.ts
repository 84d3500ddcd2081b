import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './sandbox';

/**
 * A throw-away PostgreSQL server for tests that must stop or restart the database (the shared
 * cluster at 127.0.0.1:5432 serves everyone else's tests and is never touched). It runs as the
 * `postgres` OS user (initdb refuses root) on a free loopback port, with its data directory and
 * unix socket in a temporary directory, trust authentication for 127.0.0.1 only, and no fsync.
 */
export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** `pg_ctl restart -m fast`: every connection is dropped, the server answers again after. */
  restart(): Promise<void>;
  /** `pg_ctl stop -m fast`. */
  stop(): Promise<void>;
  /** `pg_ctl start` (waits until it accepts connections). */
  start(): Promise<void>;
  /** Stops the server (immediate) and removes its directory; safe to call twice. */
  destroy(): Promise<void>;
  /** The server's log, for failure messages. */
  log(): string;
}

const PG_USER = 'postgres';

/** The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl, if any. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((x, y) => Number.parseFloat(y) - Number.parseFloat(x));
  return versions.length ? join(root, versions[0], 'bin') : undefined;
}

function postgresIds(): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', PG_USER], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', PG_USER], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Why a private server cannot be started here, or undefined when it can: the binaries must be
 * installed, and this process must be root (it then runs them as `postgres`) or `postgres`.
 */
export function privatePostgresUnavailableReason(): string | undefined {
  if (!postgresBinDir()) return 'no PostgreSQL binaries under /usr/lib/postgresql/*/bin';
  const ids = postgresIds();
  if (!ids) return `there is no '${PG_USER}' OS user to run initdb and pg_ctl as`;
  const uid = process.getuid?.();
  if (uid !== 0 && uid !== ids.uid)
    return `this process runs as uid ${String(uid)}, neither root nor '${PG_USER}' (initdb refuses root, and only root can switch to '${PG_USER}')`;
  return undefined;
}

/**
 * `describe` for suites that need their own PostgreSQL server: skips with the reason when one
 * cannot be started here, unless REQUIRE_POSTGRES=1 (or CI=true), where that is a failure.
 */
export function describeWithPrivatePostgres(name: string, fn: () => void): void {
  const reason = privatePostgresUnavailableReason();
  if (!reason) {
    describe(name, fn);
    return;
  }
  if (process.env.REQUIRE_POSTGRES === '1' || process.env.CI === 'true') {
    describe(name, () => {
      it('needs a private PostgreSQL server', () => {
        throw new Error(`A private PostgreSQL server is required but cannot start: ${reason}.`);
      });
    });
    return;
  }
  console.warn(`Skipping "${name}": ${reason} (set REQUIRE_POSTGRES=1 to make this an error).`);
  describe.skip(name, fn);
}

/** Servers not yet destroyed: stopped (immediate) if this process exits without afterAll. */
const live = new Set<PrivatePostgres>();
let exitHookInstalled = false;

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const reason = privatePostgresUnavailableReason();
  if (reason) throw new Error(`cannot start a private PostgreSQL server: ${reason}`);
  const bin = postgresBinDir()!;
  const ids = postgresIds()!;
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'obc-pg-'));
  if (asRoot) chownSync(dir, ids.uid, ids.gid);
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const port = await freePort();

  /** A PostgreSQL binary run as the postgres user (through runuser when this process is root). */
  const argv = (tool: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', PG_USER, '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  const spawnOptions = { cwd: dir, env: { PATH: process.env.PATH, LANG: 'C', LC_ALL: 'C' } };
  /** Runs it without blocking this process (the test's requests go on during a restart). */
  const run = (what: string, tool: string, args: string[]): Promise<void> =>
    new Promise((resolve, reject) => {
      const [command, commandArgs] = argv(tool, args);
      execFile(
        command,
        commandArgs,
        { ...spawnOptions, encoding: 'utf8', timeout: 120_000 },
        (error, stdout, stderr) => {
          if (!error) return resolve();
          const serverLog = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '';
          reject(
            new Error(`${what} failed (${error.message}):\n${stdout}\n${stderr}\n${serverLog}`),
          );
        },
      );
    });
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=100',
  ].join(' ');
  const pgCtlArgs = (action: string, extra: string[]) => [
    action,
    '-D',
    data,
    '-l',
    logFile,
    '-w',
    '-t',
    '90',
    ...extra,
  ];
  const pgCtl = (action: string, extra: string[] = []) =>
    run(`pg_ctl ${action}`, 'pg_ctl', pgCtlArgs(action, extra));

  let destroyed = false;
  const server: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    restart: () => pgCtl('restart', ['-m', 'fast', '-o', options]),
    stop: () => pgCtl('stop', ['-m', 'fast']),
    start: () => pgCtl('start', ['-o', options]),
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      live.delete(server);
      stopImmediately();
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
  };
  /** Synchronous, so that it also works from a process 'exit' handler. */
  const stopImmediately = (): void => {
    if (!existsSync(join(data, 'postmaster.pid'))) return;
    const [command, commandArgs] = argv('pg_ctl', pgCtlArgs('stop', ['-m', 'immediate']));
    spawnSync(command, commandArgs, { ...spawnOptions, timeout: 60_000 });
  };

  try {
    await run('initdb', 'initdb', [
      '-D',
      data,
      '-U',
      PG_USER,
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    await pgCtl('start', ['-o', options]);
  } catch (error) {
    stopImmediately();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  live.add(server);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A test run that ends without afterAll (a crash, a timeout) must not leave a server behind.
    process.on('exit', () => {
      for (const s of [...live]) void s.destroy();
    });
  }
  return server;
}
