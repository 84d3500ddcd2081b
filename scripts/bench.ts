import { randomBytes, randomUUID } from 'node:crypto';
import { spawn, ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { LoadedPki } from '../apps/mock-bank/src/pki';
import {
  authoriseAccountAccess,
  authoriseConsent,
  JourneyError,
  registrationJourney,
} from '../test/support/journeys';
import { ConnectorApiClient } from '../test/support/api-client';
import { createTestDatabase, TestDatabase } from '../test/support/postgres';
import {
  connectorEnvironment,
  createPki,
  DIST,
  enrolTpp,
  freePort,
  MockBankHandle,
  REPO_ROOT,
  runMigrations,
  startMockBank,
} from '../test/support/sandbox';
import {
  BenchMeasurements,
  buildResults,
  formatResults,
  MachineInfo,
  median,
  medianIndex,
  missingResultKeys,
  PhaseMeasurement,
  summariseLatencies,
} from './bench/bench-results';

/**
 * `npm run bench` (issue 7): the mock bank and the connector, each in its own process, the
 * connector on a PostgreSQL database of its own; measures a direct mTLS read of the bank's
 * accounts endpoint against the same read through the connector, the token cache in steady
 * state and cold, the connector's memory over many requests, and signed domestic payments.
 * Writes bench/results.json. `--check` exits 1 when a target is missed.
 *
 * Scale with BENCH_REQUESTS (memory run, default 100000), BENCH_DURATION (seconds per
 * measured phase, default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 16),
 * BENCH_PAYMENTS (default 200), BENCH_COLD_READS (default 100). BENCH_CONNECTOR_NODE_OPTIONS
 * is passed to the connector as NODE_OPTIONS (for profiling). BENCH_COMPARE_DIST names another
 * build's dist directory: its connector then runs beside this one (same bank, database and
 * consent) and is loaded in each round right after this one, for an A/B comparison on the same
 * machine state (printed per round, not written to results.json).
 */

const env = process.env;
const intEnv = (name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};
const OPTIONS = {
  check: process.argv.includes('--check'),
  verbose: process.argv.includes('--verbose'),
  requests: intEnv('BENCH_REQUESTS', 100_000),
  durationS: intEnv('BENCH_DURATION', 5),
  rounds: intEnv('BENCH_ROUNDS', 3),
  connections: intEnv('BENCH_CONNECTIONS', 16),
  payments: intEnv('BENCH_PAYMENTS', 200),
  coldReads: intEnv('BENCH_COLD_READS', 100),
  warmupS: 3,
  memoryBlocks: 10,
};
const REDIRECT = 'https://tpp.example/bench/callback';
/**
 * The connector's heap is capped as a container's memory limit would cap it (Node sizes its heap
 * from the memory it sees: on a large host, without a cap, V8 lets the old space fill with
 * garbage to several hundred MB before collecting it). Override with
 * BENCH_CONNECTOR_NODE_OPTIONS (also the way to profile: `--cpu-prof --cpu-prof-dir=...`).
 */
const CONNECTOR_NODE_OPTIONS = env.BENCH_CONNECTOR_NODE_OPTIONS ?? '--max-old-space-size=160';
const out = (line = ''): void => void process.stdout.write(line + '\n');
const step = (line: string): void => out(`• ${line}`);

interface Target {
  url: string;
  headers: Record<string, string>;
  tlsOptions?: { cert: string; key: string; ca: string };
}

/** One autocannon run; latencies collected per response (autocannon's histogram is 1 ms coarse). */
async function load(
  target: Target,
  opts: { connections: number; durationS?: number; amount?: number },
): Promise<PhaseMeasurement> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const instance = autocannon({
    url: target.url,
    headers: target.headers,
    connections: opts.connections,
    timeout: 30,
    // autocannon refuses keys present with an undefined value.
    ...(opts.amount !== undefined ? { amount: opts.amount } : { duration: opts.durationS }),
    ...(target.tlsOptions ? { tlsOptions: target.tlsOptions } : {}),
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms);
    else failures++;
  });
  const result = await instance;
  const elapsedS = (performance.now() - started) / 1000;
  failures += result.errors + result.timeouts;
  return {
    rps: latencies.length / elapsedS,
    latencyMs: summariseLatencies(latencies),
    connections: opts.connections,
    failures,
  };
}

/**
 * Rounds are measured interleaved (direct, connector, floor, then both at concurrency 1), so a
 * change in the machine's speed between rounds (a shared host) hits both sides of a round alike.
 * Each comparison is therefore reported from one round: the round with the median ratio for
 * throughput, the round with the median added p50 for latency. Failures count from every round.
 */
function pairedRound(
  rounds: { direct: PhaseMeasurement[]; connector: PhaseMeasurement[]; floor?: PhaseMeasurement[] },
  index: number,
): { direct: PhaseMeasurement; connector: PhaseMeasurement; floor?: PhaseMeasurement } {
  const withAllFailures = (all: PhaseMeasurement[]): PhaseMeasurement => ({
    ...all[index],
    failures: all.reduce((n, r) => n + r.failures, 0),
  });
  return {
    direct: withAllFailures(rounds.direct),
    connector: withAllFailures(rounds.connector),
    floor: rounds.floor ? withAllFailures(rounds.floor) : undefined,
  };
}

/** VmRSS and VmHWM (peak) of a process, in MB, from /proc. */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => {
    const match = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]) / 1024;
  };
  return { rssMb: kb('VmRSS'), peakMb: kb('VmHWM') };
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return ticks / CLOCK_TICKS_PER_SECOND;
}
/** USER_HZ: 100 on Linux for every architecture Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Runs a phase and reports the CPU the given processes spent per 2xx response, in ms. */
async function withCpu(
  pids: Record<string, number>,
  phase: () => Promise<PhaseMeasurement>,
): Promise<{ phase: PhaseMeasurement; cpuMs: Record<string, number> }> {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSecondsOf(pid)]));
  const result = await phase();
  const cpuMs = Object.fromEntries(
    Object.entries(pids).map(([k, pid]) => [
      k,
      ((cpuSecondsOf(pid) - before[k]) * 1000) / Math.max(1, result.latencyMs.count),
    ]),
  );
  return { phase: result, cpuMs };
}

/** The connector, its output to a log file (not a pipe this process must drain while it loads). */
async function startConnectorProcess(
  environment: Record<string, string>,
  logFile: string,
  dist = DIST,
): Promise<{ child: ChildProcess; url: string; stop(): Promise<void> }> {
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [join(dist, 'apps/connector/src/main.js')], {
    env: environment,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const text = readFileSync(logFile, 'utf8');
    const match = text.match(/connector listening on http:\/\/[^:"]+:(\d+)/);
    if (match) {
      return {
        child,
        url: `http://127.0.0.1:${match[1]}`,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        },
      };
    }
    if (child.exitCode !== null) throw new Error(`connector exited at start-up:\n${text}`);
    if (Date.now() > deadline) throw new Error(`connector did not start in 60 s:\n${text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The floor proxy (scripts/bench/floor-proxy.ts): the same read with no framework, no database
 * and no logging, an upper bound for any Node.js connector on this machine.
 */
async function startFloorProcess(
  environment: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [join(DIST, 'scripts/bench/floor-proxy.js')], {
    env: { PATH: process.env.PATH ?? '', ...environment },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (c: Buffer) => {
      text += c.toString('utf8');
      const match = text.match(/floor listening on (\d+)/);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`floor proxy exited at start-up (${code})`)));
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A GET over mTLS with the TPP's transport certificate, as a TPP calls the bank itself. */
function bankGet(
  url: string,
  tls: { cert: string; key: string; ca: string },
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ...tls, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Token grants the bank has made so far, by grant type (a counts-only ledger read). */
async function tokenGrants(bank: MockBankHandle): Promise<Record<string, number>> {
  const ledger = await bank.admin<{ counts: { tokenGrants: Record<string, number> } }>(
    '/ledger/counts',
  );
  return ledger.counts.tokenGrants;
}
const total = (grants: Record<string, number>): number =>
  Object.values(grants).reduce((s, n) => s + n, 0);

/**
 * The access token of the authorised consent, as the bank issued it: the most recent issued
 * access token that the bank accepts for GET /accounts over the TPP's certificate.
 */
async function bankAccessToken(
  bank: MockBankHandle,
  accountsUrl: string,
  tls: { cert: string; key: string; ca: string },
  headers: Record<string, string>,
): Promise<string> {
  const issued = await bank.admin<{ secrets: { kind: string; value: string }[] }>(
    '/issued-secrets',
  );
  const candidates = issued.secrets.filter((s) => s.kind === 'access_token').reverse();
  for (const { value } of candidates) {
    const res = await bankGet(accountsUrl, tls, { ...headers, authorization: `Bearer ${value}` });
    if (res.status === 200) return value;
  }
  throw new Error('the bank accepted none of the access tokens it issued for GET /accounts');
}

const CREDITOR = {
  SchemeName: 'UK.OBIE.SortCodeAccountNumber',
  Identification: '08080021325698',
  Name: 'ACME Inc',
};

/** An authorised domestic payment consent, ready for one payment. */
async function authorisedPaymentConsent(
  api: ConnectorApiClient,
  bank: MockBankHandle,
  bankRegistrationId: string,
  n: number,
): Promise<string> {
  const res = await api.post<{ id: string }>(
    '/v1/pisp/domestic-payment-consents',
    {
      bankRegistrationId,
      externalApiRequest: {
        Data: {
          Initiation: {
            InstructionIdentification: `bench-${n}`,
            EndToEndIdentification: `bench-${n}`,
            InstructedAmount: { Amount: '1.00', Currency: 'GBP' },
            CreditorAccount: CREDITOR,
            RemittanceInformation: { Reference: `Bench ${n}` },
          },
        },
        Risk: {},
      },
    },
    { 'idempotency-key': randomUUID() },
  );
  if (res.status !== 201) throw new JourneyError('domestic payment consent', res);
  await authoriseConsent(
    api,
    bank,
    `/v1/pisp/domestic-payment-consents/${res.body.id}/auth-contexts`,
  );
  return res.body.id;
}

/** Runs `task` over `items` with at most `concurrency` at a time. */
async function pool<T, R>(
  items: T[],
  concurrency: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

function machine(): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    model: list[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    totalMemoryMb: Math.round(totalmem() / 1024 / 1024),
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
    date: new Date().toISOString(),
  };
}

async function main(): Promise<number> {
  const dir = join(REPO_ROOT, 'data', 'bench');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const benchStarted = Date.now();
  out('UK Open Banking Connector: benchmark (issue 7)');
  out(
    `requests=${OPTIONS.requests} duration=${OPTIONS.durationS}s rounds=${OPTIONS.rounds} connections=${OPTIONS.connections} payments=${OPTIONS.payments}`,
  );

  const pki: LoadedPki = await createPki(join(dir, 'pki'));
  // Tokens live an hour so no expiry falls inside the run (the cold case expires one on purpose).
  const bank = await startMockBank(pki, {
    echo: OPTIONS.verbose,
    env: { MOCK_BANK_ACCESS_TOKEN_TTL: '3600' },
  });
  await enrolTpp(pki, bank, [REDIRECT]);
  let db: TestDatabase | undefined;
  let connector: Awaited<ReturnType<typeof startConnectorProcess>> | undefined;
  let floor: Awaited<ReturnType<typeof startFloorProcess>> | undefined;
  let compare: Awaited<ReturnType<typeof startConnectorProcess>> | undefined;
  try {
    db = await createTestDatabase();
    const apiKey = randomBytes(24).toString('base64url');
    const encryptionKey = randomBytes(32).toString('base64');
    const port = await freePort();
    const environment = connectorEnvironment({
      pki,
      bank,
      databaseUrl: db.url,
      apiKey,
      encryptionKey,
      env: {
        PORT: String(port),
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        NODE_OPTIONS: CONNECTOR_NODE_OPTIONS,
      },
    });
    await runMigrations(environment);
    connector = await startConnectorProcess(environment, join(dir, 'connector.log'));
    const pid = connector.child.pid as number;
    step(`connector RSS after start: ${memoryOf(pid).rssMb.toFixed(1)} MB`);
    step(
      `mock bank ${bank.url} (pid ${bank.process.child.pid}), connector ${connector.url} (pid ${pid}) on PostgreSQL ${db.name}`,
    );

    const api = new ConnectorApiClient(connector.url, apiKey);
    const registration = await registrationJourney(api, pki, { redirectUri: REDIRECT });
    const consent = await authoriseAccountAccess(api, bank, registration.bankRegistrationId);
    step(`registered with the bank and authorised account-access consent ${consent.consentId}`);

    const tls = {
      cert: pki.pem.tppTransport,
      key: readFileSync(join(pki.dir, pki.manifest.files.tppTransportKey), 'utf8'),
      ca: pki.pem.ca,
    };
    const bankAccounts = `https://127.0.0.1:${bank.port}/open-banking/v4.0/aisp/accounts`;
    const profile = JSON.parse(
      readFileSync(join(REPO_ROOT, 'bank-profiles', 'mock-bank.json'), 'utf8'),
    ) as { financialId: string };
    // The headers the connector sends the bank on a read (its interaction id varies per call).
    const fapiHeaders = {
      accept: 'application/json',
      'x-fapi-interaction-id': randomUUID(),
      'x-fapi-financial-id': profile.financialId,
    };
    const token = await bankAccessToken(bank, bankAccounts, tls, fapiHeaders);
    const direct: Target = {
      url: bankAccounts,
      headers: { ...fapiHeaders, authorization: `Bearer ${token}` },
      tlsOptions: tls,
    };
    const through: Target = {
      url: `${connector.url}/v1/aisp/accounts`,
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${apiKey}`,
        'x-account-access-consent-id': consent.consentId,
      },
    };
    floor = await startFloorProcess({
      FLOOR_BANK_URL: bankAccounts,
      FLOOR_BANK_TOKEN: token,
      FLOOR_FINANCIAL_ID: profile.financialId,
      FLOOR_API_KEY: apiKey,
      FLOOR_CERT_FILE: join(pki.dir, pki.manifest.files.tppTransport),
      FLOOR_KEY_FILE: join(pki.dir, pki.manifest.files.tppTransportKey),
      FLOOR_CA_FILE: join(pki.dir, pki.manifest.files.ca),
    });
    const floorPid = floor.child.pid as number;
    const bare: Target = { url: `${floor.url}/v1/aisp/accounts`, headers: through.headers };
    if (env.BENCH_COMPARE_DIST) {
      const comparePort = await freePort();
      compare = await startConnectorProcess(
        {
          ...environment,
          PORT: String(comparePort),
          PUBLIC_BASE_URL: `http://127.0.0.1:${comparePort}`,
        },
        join(dir, 'connector-compare.log'),
        env.BENCH_COMPARE_DIST,
      );
      step(`compare build ${env.BENCH_COMPARE_DIST}: connector ${compare.url}`);
    }
    const compared: Target | undefined = compare && {
      url: `${compare.url}/v1/aisp/accounts`,
      headers: through.headers,
    };
    // Same answer both ways (the connector only rewrites Links), so the comparison is fair.
    const viaBank = await bankGet(bankAccounts, tls, direct.headers);
    const viaConnector = await api.get('/v1/aisp/accounts', {
      'x-account-access-consent-id': consent.consentId,
    });
    if (viaBank.status !== 200 || viaConnector.status !== 200)
      throw new Error(`reads failed: bank ${viaBank.status}, connector ${viaConnector.status}`);
    step(
      `bank access token found; both reads answer 200 (${viaBank.body.length} bytes from the bank)`,
    );

    const c = OPTIONS.connections;
    step(`warm-up: ${OPTIONS.warmupS} s each at ${c} connections`);
    await load(direct, { connections: c, durationS: OPTIONS.warmupS });
    await load(through, { connections: c, durationS: OPTIONS.warmupS });
    await load(bare, { connections: c, durationS: OPTIONS.warmupS });
    if (compared) await load(compared, { connections: c, durationS: OPTIONS.warmupS });

    const grantsBefore = await tokenGrants(bank);
    let steadyRequests = 0;
    const rounds = {
      directT: [] as PhaseMeasurement[],
      connectorT: [] as PhaseMeasurement[],
      directL: [] as PhaseMeasurement[],
      connectorL: [] as PhaseMeasurement[],
      floorT: [] as PhaseMeasurement[],
    };
    const bankPid = bank.process.child.pid as number;
    const cpu = {
      bankDirect: [] as number[],
      bankViaConnector: [] as number[],
      connector: [] as number[],
      floor: [] as number[],
    };
    for (let r = 1; r <= OPTIONS.rounds; r++) {
      const d = OPTIONS.durationS;
      const dt = await withCpu({ bank: bankPid, load: process.pid }, () =>
        load(direct, { connections: c, durationS: d }),
      );
      rounds.directT.push(dt.phase);
      cpu.bankDirect.push(dt.cpuMs.bank);
      const ct = await withCpu({ bank: bankPid, connector: pid, load: process.pid }, () =>
        load(through, { connections: c, durationS: d }),
      );
      rounds.connectorT.push(ct.phase);
      cpu.bankViaConnector.push(ct.cpuMs.bank);
      cpu.connector.push(ct.cpuMs.connector);
      const ft = await withCpu({ bank: bankPid, floor: floorPid, load: process.pid }, () =>
        load(bare, { connections: c, durationS: d }),
      );
      rounds.floorT.push(ft.phase);
      cpu.floor.push(ft.cpuMs.floor);
      if (compared && compare) {
        const bt = await withCpu({ compare: compare.child.pid as number }, () =>
          load(compared, { connections: c, durationS: d }),
        );
        step(
          `round ${r} compare build: ${bt.phase.rps.toFixed(0)}/s at ${bt.cpuMs.compare.toFixed(3)} ms CPU/request ` +
            `(this build ${ct.phase.rps.toFixed(0)}/s at ${ct.cpuMs.connector.toFixed(3)} ms)`,
        );
      }
      rounds.directL.push(await load(direct, { connections: 1, durationS: d }));
      rounds.connectorL.push(await load(through, { connections: 1, durationS: d }));
      steadyRequests +=
        rounds.connectorT[r - 1].latencyMs.count + rounds.connectorL[r - 1].latencyMs.count;
      const f = (p: PhaseMeasurement) => p.rps.toFixed(0);
      const l = (p: PhaseMeasurement) => p.latencyMs.p50.toFixed(3);
      step(
        `round ${r}: c=${c} direct ${f(rounds.directT[r - 1])}/s, connector ${f(rounds.connectorT[r - 1])}/s; ` +
          `c=1 p50 direct ${l(rounds.directL[r - 1])} ms, connector ${l(rounds.connectorL[r - 1])} ms; ` +
          `CPU/request: connector ${ct.cpuMs.connector.toFixed(3)} ms, bank ${dt.cpuMs.bank.toFixed(3)} ms direct, ${ct.cpuMs.bank.toFixed(3)} ms via the connector; ` +
          `floor ${f(rounds.floorT[r - 1])}/s at ${ft.cpuMs.floor.toFixed(3)} ms CPU/request (bank ${ft.cpuMs.bank.toFixed(3)} ms); ` +
          `load generator ${dt.cpuMs.load.toFixed(3)} / ${ct.cpuMs.load.toFixed(3)} / ${ft.cpuMs.load.toFixed(3)} ms`,
      );
    }

    const blockSize = Math.max(1, Math.floor(OPTIONS.requests / OPTIONS.memoryBlocks));
    step(
      `memory: ${OPTIONS.memoryBlocks} blocks of ${blockSize} connector reads at ${c} connections`,
    );
    const rssAfterBlockMb: number[] = [];
    let memoryFailures = 0;
    const memoryStarted = performance.now();
    for (let b = 0; b < OPTIONS.memoryBlocks; b++) {
      const block = await load(through, { connections: c, amount: blockSize });
      memoryFailures += block.failures;
      steadyRequests += block.latencyMs.count;
      rssAfterBlockMb.push(memoryOf(pid).rssMb);
    }
    const memoryRps =
      (blockSize * OPTIONS.memoryBlocks) / ((performance.now() - memoryStarted) / 1000);
    step(`RSS after each block (MB): ${rssAfterBlockMb.map((m) => m.toFixed(1)).join(', ')}`);
    const grantsAfter = await tokenGrants(bank);
    const steadyStateTokenRequests = total(grantsAfter) - total(grantsBefore);

    step(`cold cache: the bank expires the consent's token; ${OPTIONS.coldReads} concurrent reads`);
    const refreshBefore = (await tokenGrants(bank)).refresh_token ?? 0;
    await bank.admin('/tokens/expire', { consentId: consent.externalApiId });
    const cold = await Promise.all(
      Array.from({ length: OPTIONS.coldReads }, () =>
        fetch(through.url, { headers: through.headers }).then(async (res) => {
          await res.arrayBuffer();
          return res.status;
        }),
      ),
    );
    const coldRefreshCount = ((await tokenGrants(bank)).refresh_token ?? 0) - refreshBefore;
    const coldFailures = cold.filter((s) => s !== 200).length;

    const paymentConnections = Math.min(8, c);
    step(`payments: preparing ${OPTIONS.payments} authorised domestic payment consents`);
    const consentIds = await pool(
      Array.from({ length: OPTIONS.payments }, (_, i) => i),
      4,
      (i) => authorisedPaymentConsent(api, bank, registration.bankRegistrationId, i),
    );
    step(
      `payments: ${consentIds.length} signed domestic payments, ${paymentConnections} at a time`,
    );
    let paymentFailures = 0;
    const paymentsStarted = performance.now();
    await pool(consentIds, paymentConnections, async (id) => {
      const res = await api.post(
        '/v1/pisp/domestic-payments',
        { domesticPaymentConsentId: id },
        { 'idempotency-key': randomUUID() },
      );
      if (res.status !== 201) {
        paymentFailures++;
        if (paymentFailures === 1) out(`  first failed payment: ${res.status} ${res.text}`);
      }
    });
    const paymentsRps =
      (consentIds.length - paymentFailures) / ((performance.now() - paymentsStarted) / 1000);

    const peakRssMb = memoryOf(pid).peakMb;
    const throughput = pairedRound(
      { direct: rounds.directT, connector: rounds.connectorT, floor: rounds.floorT },
      medianIndex(rounds.connectorT.map((p, i) => p.rps / rounds.directT[i].rps)),
    );
    const latency = pairedRound(
      { direct: rounds.directL, connector: rounds.connectorL },
      medianIndex(
        rounds.connectorL.map((p, i) => p.latencyMs.p50 - rounds.directL[i].latencyMs.p50),
      ),
    );
    const measurements: BenchMeasurements = {
      throughputConnections: c,
      rounds: OPTIONS.rounds,
      direct: { throughput: throughput.direct, latency: latency.direct },
      connector: { throughput: throughput.connector, latency: latency.connector },
      cpuMsPerRequest: {
        bankDirect: median(cpu.bankDirect),
        bankViaConnector: median(cpu.bankViaConnector),
        connector: median(cpu.connector),
      },
      floor: { throughput: throughput.floor!, cpuMsPerRequest: median(cpu.floor) },
      steadyStateTokenRequests,
      steadyStateRequests: steadyRequests,
      coldReads: OPTIONS.coldReads,
      coldFailures,
      coldRefreshCount,
      memory: {
        requests: blockSize * OPTIONS.memoryBlocks,
        rssAfterBlockMb,
        rps: memoryRps,
        connectorNodeOptions: CONNECTOR_NODE_OPTIONS,
      },
      peakRssMb,
      payments: {
        count: consentIds.length,
        connections: paymentConnections,
        rps: paymentsRps,
        failures: paymentFailures,
        method: `one authorised PIS consent per payment, prepared beforehand; ${paymentConnections} concurrent POST /v1/pisp/domestic-payments (detached JWS, idempotency key)`,
      },
    };
    measurements.connector.throughput.failures += memoryFailures;
    const results = buildResults(measurements, machine());
    const missing = missingResultKeys(results);
    if (missing.length) throw new Error(`results lack ${missing.join(', ')}`);

    out('');
    out(formatResults(results));
    mkdirSync(join(REPO_ROOT, 'bench'), { recursive: true });
    const file = join(REPO_ROOT, 'bench', 'results.json');
    const tmp = `${file}.tmp`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(tmp, JSON.stringify(results, null, 2) + '\n');
    renameSync(tmp, file);
    out('');
    out(`wrote bench/results.json (run took ${Math.round((Date.now() - benchStarted) / 1000)} s)`);
    if (!results.allTargetsMet) {
      out(
        `targets missed: ${results.targets
          .filter((t) => !t.met)
          .map((t) => t.name)
          .join(', ')}`,
      );
      return OPTIONS.check ? 1 : 0;
    }
    out('all targets met');
    return 0;
  } finally {
    await connector?.stop();
    await floor?.stop();
    await compare?.stop();
    await bank.stop();
    await db?.drop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof JourneyError) console.error(`bench failed: ${error.message}`);
    else console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
