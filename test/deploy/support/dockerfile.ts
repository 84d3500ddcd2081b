import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, matchesGlob, posix } from 'node:path';

/** One Dockerfile instruction, continuation lines joined. */
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string;
  image: string;
  instructions: Instruction[];
}

/** Parses a Dockerfile into stages (comments dropped, `\` continuations joined). */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i].trim();
    if (!logical || logical.startsWith('#')) continue;
    while (logical.endsWith('\\') && i + 1 < lines.length) {
      i++;
      const next = lines[i].trim();
      logical = logical.slice(0, -1).trimEnd() + (next.startsWith('#') ? '' : ' ' + next);
    }
    const match = /^(\w+)\s+(.*)$/s.exec(logical);
    if (!match) throw new Error(`Dockerfile line ${start + 1}: cannot parse "${logical}"`);
    const keyword = match[1].toUpperCase();
    const args = match[2].trim();
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`Dockerfile line ${start + 1}: cannot parse FROM "${args}"`);
      stages.push({ image: from[1], name: from[2] ?? String(stages.length), instructions: [] });
      continue;
    }
    if (!stages.length) {
      if (keyword === 'ARG') continue;
      throw new Error(`Dockerfile line ${start + 1}: ${keyword} before FROM`);
    }
    stages[stages.length - 1].instructions.push({ keyword, args, line: start + 1 });
  }
  return stages;
}

/** `KEY=value KEY2="value two"` pairs (ENV, LABEL). */
export function parseKeyValues(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([\w.-]+)=("((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (let m = re.exec(args); m; m = re.exec(args))
    out[m[1]] = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[4];
  return out;
}

/** The JSON exec form of CMD, ENTRYPOINT or a HEALTHCHECK's CMD. */
export function parseExecForm(args: string): string[] {
  const parsed = JSON.parse(args) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string'))
    throw new Error(`not an exec form: ${args}`);
  return parsed as string[];
}

/** Docker's .dockerignore rules: a pattern excludes a path or any folder above it; `!` re-includes. */
export function dockerignoreFilter(text: string): (relPath: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => ({
      negate: l.startsWith('!'),
      pattern: posix.normalize(l.replace(/^!/, '').replace(/^\/+/, '')).replace(/\/+$/, ''),
    }));
  return (relPath) => {
    const parts = relPath.split('/');
    const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) {
      if (candidates.some((c) => matchesGlob(c, rule.pattern))) excluded = !rule.negate;
    }
    return !excluded;
  };
}

/**
 * The build context Docker would send: the files git knows (tracked, plus untracked ones git does
 * not ignore) that .dockerignore keeps. Copied, not linked, so nothing in the replay can touch
 * the working tree.
 */
export function copyBuildContext(repoRoot: string, into: string): string[] {
  const listed = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  )
    .split('\0')
    .filter(Boolean);
  const keep = dockerignoreFilter(readFileSync(join(repoRoot, '.dockerignore'), 'utf8'));
  const copied: string[] = [];
  for (const rel of listed) {
    const from = join(repoRoot, rel);
    if (!keep(rel) || !existsSync(from) || !statSync(from).isFile()) continue;
    mkdirSync(dirname(join(into, rel)), { recursive: true });
    cpSync(from, join(into, rel));
    copied.push(rel);
  }
  return copied;
}

/**
 * RUN sub-commands that change the operating system of the image (packages, users, ownership
 * of image paths). The replay cannot and must not do these to the host; the test checks their
 * intent instead (the build tools exist here, uid 10001 is declared, /data is the volume).
 */
const SYSTEM_COMMANDS = [
  /^apt-get\s/,
  /^rm -rf \/var\/lib\/apt\//,
  /^groupadd\s/,
  /^useradd\s/,
  /^chown\s/,
  /^mkdir -p \/data$/,
];

export function isSystemCommand(command: string): boolean {
  return SYSTEM_COMMANDS.some((re) => re.test(command.trim()));
}

export interface ReplayedStage {
  name: string;
  /** Folder standing for the stage's filesystem root. */
  root: string;
  workdir: string;
  env: Record<string, string>;
  user?: string;
  labels: Record<string, string>;
  cmd?: string[];
  healthcheck?: string[];
  volumes: string[];
  /** Every RUN sub-command executed, in order, and those skipped as system commands. */
  ran: string[];
  skipped: string[];
}

export interface ReplayOptions {
  contextDir: string;
  workRoot: string;
  /** Environment of every RUN (the host's PATH, npm cache ...). */
  baseEnv: Record<string, string>;
  /** Dockerfile ENV values that name image paths and must be remapped on the host. */
  envOverrides: Record<string, string>;
  log: (line: string) => void;
  runTimeoutMs: number;
}

/** Maps an image path to the stage's folder. */
export function inStage(stage: Pick<ReplayedStage, 'root' | 'workdir'>, p: string): string {
  return isAbsolute(p) ? join(stage.root, p) : join(stage.root, stage.workdir, p);
}

/** Executes the Dockerfile's stages on the host, stage folders standing in for image roots. */
export function replayDockerfile(stages: Stage[], opts: ReplayOptions): Map<string, ReplayedStage> {
  const done = new Map<string, ReplayedStage>();
  for (const stage of stages) {
    const s: ReplayedStage = {
      name: stage.name,
      root: join(opts.workRoot, stage.name),
      workdir: '/',
      env: {},
      labels: {},
      volumes: [],
      ran: [],
      skipped: [],
    };
    mkdirSync(s.root, { recursive: true });
    for (const ins of stage.instructions) {
      switch (ins.keyword) {
        case 'WORKDIR':
          s.workdir = posix.resolve(s.workdir, ins.args);
          mkdirSync(inStage(s, s.workdir), { recursive: true });
          break;
        case 'ENV':
          Object.assign(s.env, parseKeyValues(ins.args));
          break;
        case 'LABEL':
          Object.assign(s.labels, parseKeyValues(ins.args));
          break;
        case 'USER':
          s.user = ins.args;
          break;
        case 'VOLUME':
          s.volumes.push(...parseExecForm(ins.args));
          break;
        case 'CMD':
          s.cmd = parseExecForm(ins.args);
          break;
        case 'HEALTHCHECK': {
          const cmd = /\bCMD\s+(\[.*\])$/s.exec(ins.args);
          if (!cmd) throw new Error(`line ${ins.line}: HEALTHCHECK must use the exec form`);
          s.healthcheck = parseExecForm(cmd[1]);
          break;
        }
        case 'COPY':
          replayCopy(s, ins, done, opts);
          break;
        case 'RUN':
          replayRun(s, ins, opts);
          break;
        case 'EXPOSE':
        case 'ARG':
          break;
        default:
          throw new Error(
            `line ${ins.line}: the replay does not know ${ins.keyword}; teach it or keep the Dockerfile plain`,
          );
      }
    }
    done.set(stage.name, s);
  }
  return done;
}

function replayCopy(
  s: ReplayedStage,
  ins: Instruction,
  done: Map<string, ReplayedStage>,
  opts: ReplayOptions,
): void {
  const words = ins.args.split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  const dest = paths.pop();
  if (!dest || !paths.length)
    throw new Error(`line ${ins.line}: COPY needs a source and a destination`);
  const source = from ? done.get(from) : undefined;
  if (from && !source)
    throw new Error(`line ${ins.line}: COPY --from=${from} names no earlier stage`);
  const destPath = inStage(s, dest);
  const intoDir = dest.endsWith('/') || dest === '.' || paths.length > 1;
  for (const src of paths) {
    const srcPath = source ? inStage(source, src) : join(opts.contextDir, src);
    if (!existsSync(srcPath))
      throw new Error(`line ${ins.line}: COPY source ${src} does not exist`);
    const isDir = statSync(srcPath).isDirectory();
    // Docker copies a directory's contents, and a file into a directory when dest names one.
    const target = !isDir && intoDir ? join(destPath, posix.basename(src)) : destPath;
    mkdirSync(isDir ? target : dirname(target), { recursive: true });
    cpSync(srcPath, target, { recursive: true, verbatimSymlinks: true });
  }
  opts.log(`COPY ${ins.args}`);
}

function replayRun(s: ReplayedStage, ins: Instruction, opts: ReplayOptions): void {
  if (ins.args.startsWith('[')) throw new Error(`line ${ins.line}: use the shell form for RUN`);
  const parts = ins.args.split('&&').map((p) => p.trim());
  const app = parts.filter((p) => !isSystemCommand(p));
  s.skipped.push(...parts.filter(isSystemCommand));
  if (!app.length) return;
  const command = app.join(' && ');
  opts.log(`RUN ${command}`);
  const started = Date.now();
  const r = spawnSync('bash', ['-ec', command], {
    cwd: inStage(s, s.workdir),
    env: { ...opts.baseEnv, ...s.env, ...opts.envOverrides },
    encoding: 'utf8',
    timeout: opts.runTimeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  opts.log(`  -> exit ${String(r.status)} in ${Math.round((Date.now() - started) / 1000)} s`);
  if (r.status !== 0) {
    const tail = `${r.stdout}\n${r.stderr}`.split('\n').slice(-40).join('\n');
    throw new Error(
      `line ${ins.line}: RUN ${command} failed (${r.error?.message ?? `exit ${String(r.status)}`}):\n${tail}`,
    );
  }
  s.ran.push(...app);
}
