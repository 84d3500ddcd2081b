import { ChildProcess, spawn } from 'node:child_process';

/** A child process started by a test or the demo, with its output captured for assertions. */
export interface RunningProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output (waits for it). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then SIGKILL after a grace period. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL now (crash simulation). */
  kill(): Promise<void>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  cwd?: string;
  /** Echo output to this process's stderr as it arrives (the demo's --verbose). */
  echo?: boolean;
}

export function startProcess(options: StartOptions): RunningProcess {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    buffer += chunk.toString('utf8');
    if (options.echo) process.stderr.write(`[${options.name}] ${chunk.toString('utf8')}`);
    for (const l of [...listeners]) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      for (const l of [...listeners]) l();
      resolve();
    });
  });

  const proc: RunningProcess = {
    name: options.name,
    child,
    output: () => buffer,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const match = buffer.match(pattern);
          if (match) {
            cleanup();
            resolve(match);
          } else if (exited) {
            cleanup();
            reject(
              new Error(
                `${options.name} exited (${exited.code ?? exited.signal}) before ${pattern}:\n${tail(buffer)}`,
              ),
            );
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `${options.name}: timed out after ${timeoutMs} ms waiting for ${pattern}:\n${tail(buffer)}`,
            ),
          );
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async stop(graceMs = 5_000) {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exitPromise;
      clearTimeout(timer);
    },
    async kill() {
      if (exited) return;
      child.kill('SIGKILL');
      await exitPromise;
    },
  };
  return proc;
}

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}
