/**
 * The benchmark's pure parts (scripts/bench.ts runs the processes): percentile maths, the shape
 * of bench/results.json, the targets of issue 7 and the printed table. No I/O here, so the unit
 * specs can check the maths and the shape without timing anything.
 */

export interface LatencySummary {
  /** Milliseconds. */
  p50: number;
  p99: number;
  mean: number;
  count: number;
}

/**
 * The nearest-rank percentile (the smallest value with at least p% of the samples at or below
 * it) of ascending `sorted` values. 0 ≤ p ≤ 100; NaN for no samples.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0..100`);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function summariseLatencies(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const sum = sorted.reduce((s, v) => s + v, 0);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    count: sorted.length,
  };
}

/** The median of several rounds (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The index of the round whose value is the median (the lower middle one for an even count), so
 * a pair measured in the same round (direct and connector) is reported together.
 */
export function medianIndex(values: readonly number[]): number {
  if (values.length === 0) return -1;
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  return order[Math.floor((order.length - 1) / 2)][1];
}

export const TARGETS = {
  /** connector.rps / direct.rps at least this. */
  minRatio: 0.6,
  /** Added p50 latency at concurrency 1, at most (ms). */
  maxAddedP50Ms: 1,
  /** Bank token requests while reading with a warm cache. */
  maxSteadyStateTokenRequests: 0,
  /** Refresh grants the bank sees when many concurrent reads find the token expired. */
  coldRefreshCount: 1,
  /** Connector RSS after 100,000 requests (and its peak), below (MB). */
  maxRssMb: 250,
  /**
   * RSS growth between the second and the last 10,000 requests, at most (MB). RSS moves by a few
   * MB with garbage collection and allocator behaviour, so "no growth" allows this much noise.
   */
  maxRssGrowthMb: 5,
} as const;

export interface PhaseMeasurement {
  rps: number;
  latencyMs: LatencySummary;
  /** autocannon connections. */
  connections: number;
  /** Requests that did not answer 2xx (errors, timeouts, non-2xx). */
  failures: number;
}

export interface BenchMeasurements {
  throughputConnections: number;
  rounds: number;
  direct: { throughput: PhaseMeasurement; latency: PhaseMeasurement };
  connector: { throughput: PhaseMeasurement; latency: PhaseMeasurement };
  /** CPU per 2xx response in the throughput phases (median round), ms. */
  cpuMsPerRequest: { bankDirect: number; bankViaConnector: number; connector: number };
  /**
   * The floor proxy (scripts/bench/floor-proxy.ts) at the same concurrency: the same read with
   * no framework, database or logging, an upper bound for any Node.js connector on the machine.
   */
  floor: { throughput: PhaseMeasurement; cpuMsPerRequest: number };
  steadyStateTokenRequests: number;
  steadyStateRequests: number;
  coldReads: number;
  coldFailures: number;
  coldRefreshCount: number;
  memory: {
    requests: number;
    /** RSS (MB) after each block of 10,000 requests (or the scaled-down block). */
    rssAfterBlockMb: number[];
    rps: number;
    /** NODE_OPTIONS the connector ran with (its heap cap). */
    connectorNodeOptions: string;
  };
  peakRssMb: number;
  payments: { count: number; connections: number; rps: number; failures: number; method: string };
}

export interface MachineInfo {
  cpus: number;
  model: string;
  node: string;
  platform: string;
  totalMemoryMb: number;
  loadAverage: number[];
  date: string;
}

export interface TargetCheck {
  name: string;
  target: string;
  actual: string;
  met: boolean;
}

export interface BenchResults {
  direct: { rps: number; p50Ms: number; p99Ms: number; latencyP50Ms: number; latencyP99Ms: number };
  connector: {
    rps: number;
    p50Ms: number;
    p99Ms: number;
    latencyP50Ms: number;
    latencyP99Ms: number;
  };
  ratio: number;
  addedLatencyMs: { p50: number; p99: number };
  steadyStateTokenRequests: number;
  coldRefreshCount: number;
  peakRssMb: number;
  rssAfter100kMb: number;
  rssGrowthMb: number;
  payments: { rps: number; count: number; method: string };
  /** CPU time per request (less sensitive to a busy machine than rates), ms. */
  cpuMsPerRequest: { bankDirect: number; bankViaConnector: number; connector: number };
  /** Not a target: what a framework-less proxy reaches on the same machine (see BenchMeasurements). */
  floor: { rps: number; ratio: number; cpuMsPerRequest: number };
  method: {
    throughputConnections: number;
    latencyConnections: 1;
    rounds: number;
    memoryRequests: number;
    steadyStateRequests: number;
    coldReads: number;
    coldFailures: number;
    rssAfterBlockMb: number[];
    memoryRunRps: number;
    connectorNodeOptions: string;
  };
  machine: MachineInfo;
  targets: TargetCheck[];
  allTargetsMet: boolean;
}

const round = (n: number, digits = 2): number =>
  Number.isFinite(n) ? Number(n.toFixed(digits)) : n;

/**
 * The results document from the measurements. Throughput numbers (rps, and the p50/p99 beside
 * them) come from the high-concurrency phase; the added latency from the concurrency-1 phase.
 */
export function buildResults(m: BenchMeasurements, machine: MachineInfo): BenchResults {
  const ratio = m.connector.throughput.rps / m.direct.throughput.rps;
  const addedP50 = m.connector.latency.latencyMs.p50 - m.direct.latency.latencyMs.p50;
  const addedP99 = m.connector.latency.latencyMs.p99 - m.direct.latency.latencyMs.p99;
  const blocks = m.memory.rssAfterBlockMb;
  const rssAfter100k = blocks.length ? blocks[blocks.length - 1] : Number.NaN;
  // "Between the second and the last 10,000": RSS after the second block → after the last.
  const rssGrowth = blocks.length >= 2 ? blocks[blocks.length - 1] - blocks[1] : Number.NaN;
  const side = (s: { throughput: PhaseMeasurement; latency: PhaseMeasurement }) => ({
    rps: round(s.throughput.rps, 1),
    p50Ms: round(s.throughput.latencyMs.p50, 3),
    p99Ms: round(s.throughput.latencyMs.p99, 3),
    latencyP50Ms: round(s.latency.latencyMs.p50, 3),
    latencyP99Ms: round(s.latency.latencyMs.p99, 3),
  });
  const targets = checkTargets({
    ratio,
    addedP50,
    steadyStateTokenRequests: m.steadyStateTokenRequests,
    coldRefreshCount: m.coldRefreshCount,
    peakRssMb: m.peakRssMb,
    rssAfter100kMb: rssAfter100k,
    rssGrowthMb: rssGrowth,
    failures:
      m.direct.throughput.failures +
      m.direct.latency.failures +
      m.connector.throughput.failures +
      m.connector.latency.failures +
      m.floor.throughput.failures +
      m.coldFailures +
      m.payments.failures,
  });
  return {
    direct: side(m.direct),
    connector: side(m.connector),
    ratio: round(ratio, 3),
    addedLatencyMs: { p50: round(addedP50, 3), p99: round(addedP99, 3) },
    steadyStateTokenRequests: m.steadyStateTokenRequests,
    coldRefreshCount: m.coldRefreshCount,
    peakRssMb: round(m.peakRssMb, 1),
    rssAfter100kMb: round(rssAfter100k, 1),
    rssGrowthMb: round(rssGrowth, 1),
    payments: { rps: round(m.payments.rps, 1), count: m.payments.count, method: m.payments.method },
    cpuMsPerRequest: {
      bankDirect: round(m.cpuMsPerRequest.bankDirect, 3),
      bankViaConnector: round(m.cpuMsPerRequest.bankViaConnector, 3),
      connector: round(m.cpuMsPerRequest.connector, 3),
    },
    floor: {
      rps: round(m.floor.throughput.rps, 1),
      ratio: round(m.floor.throughput.rps / m.direct.throughput.rps, 3),
      cpuMsPerRequest: round(m.floor.cpuMsPerRequest, 3),
    },
    method: {
      throughputConnections: m.throughputConnections,
      latencyConnections: 1,
      rounds: m.rounds,
      memoryRequests: m.memory.requests,
      steadyStateRequests: m.steadyStateRequests,
      coldReads: m.coldReads,
      coldFailures: m.coldFailures,
      rssAfterBlockMb: blocks.map((b) => round(b, 1)),
      memoryRunRps: round(m.memory.rps, 1),
      connectorNodeOptions: m.memory.connectorNodeOptions,
    },
    machine,
    targets,
    allTargetsMet: targets.every((t) => t.met),
  };
}

export function checkTargets(v: {
  ratio: number;
  addedP50: number;
  steadyStateTokenRequests: number;
  coldRefreshCount: number;
  peakRssMb: number;
  rssAfter100kMb: number;
  rssGrowthMb: number;
  failures: number;
}): TargetCheck[] {
  const t = TARGETS;
  const ms = (n: number) => `${round(n, 3)} ms`;
  const mb = (n: number) => `${round(n, 1)} MB`;
  return [
    {
      name: 'throughput ratio',
      target: `≥ ${t.minRatio}`,
      actual: String(round(v.ratio, 3)),
      met: v.ratio >= t.minRatio,
    },
    {
      name: 'added p50 latency (c=1)',
      target: `≤ ${ms(t.maxAddedP50Ms)}`,
      actual: ms(v.addedP50),
      met: v.addedP50 <= t.maxAddedP50Ms,
    },
    {
      name: 'steady-state token requests',
      target: `= ${t.maxSteadyStateTokenRequests}`,
      actual: String(v.steadyStateTokenRequests),
      met: v.steadyStateTokenRequests <= t.maxSteadyStateTokenRequests,
    },
    {
      name: 'cold-cache refresh grants',
      target: `= ${t.coldRefreshCount}`,
      actual: String(v.coldRefreshCount),
      met: v.coldRefreshCount === t.coldRefreshCount,
    },
    {
      name: 'RSS after 100k requests',
      target: `< ${mb(t.maxRssMb)}`,
      actual: mb(v.rssAfter100kMb),
      met: v.rssAfter100kMb < t.maxRssMb,
    },
    {
      name: 'peak RSS',
      target: `< ${mb(t.maxRssMb)}`,
      actual: mb(v.peakRssMb),
      met: v.peakRssMb < t.maxRssMb,
    },
    {
      name: 'RSS growth (2nd → last block)',
      target: `≤ ${mb(t.maxRssGrowthMb)}`,
      actual: mb(v.rssGrowthMb),
      met: v.rssGrowthMb <= t.maxRssGrowthMb,
    },
    {
      name: 'failed requests',
      target: '= 0',
      actual: String(v.failures),
      met: v.failures === 0,
    },
  ];
}

/** The dotted keys issue 7 requires in bench/results.json. */
export const REQUIRED_RESULT_KEYS = [
  'direct.rps',
  'connector.rps',
  'ratio',
  'addedLatencyMs.p50',
  'addedLatencyMs.p99',
  'steadyStateTokenRequests',
  'coldRefreshCount',
  'peakRssMb',
  'rssGrowthMb',
  'payments.rps',
] as const;

/** Required keys that are missing or not finite numbers. */
export function missingResultKeys(results: unknown): string[] {
  return REQUIRED_RESULT_KEYS.filter((key) => {
    let value: unknown = results;
    for (const part of key.split('.')) {
      value =
        value !== null && typeof value === 'object'
          ? (value as Record<string, unknown>)[part]
          : undefined;
    }
    return typeof value !== 'number' || !Number.isFinite(value);
  });
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}

/** The human-readable report (also pasted into docs/performance.md). */
export function formatResults(r: BenchResults): string {
  const c = r.method.throughputConnections;
  const lines = [
    table([
      ['', 'req/s (c=' + c + ')', 'p50', 'p99', 'p50 (c=1)', 'p99 (c=1)'],
      [
        'direct mTLS to the bank',
        String(r.direct.rps),
        `${r.direct.p50Ms} ms`,
        `${r.direct.p99Ms} ms`,
        `${r.direct.latencyP50Ms} ms`,
        `${r.direct.latencyP99Ms} ms`,
      ],
      [
        'through the connector',
        String(r.connector.rps),
        `${r.connector.p50Ms} ms`,
        `${r.connector.p99Ms} ms`,
        `${r.connector.latencyP50Ms} ms`,
        `${r.connector.latencyP99Ms} ms`,
      ],
    ]),
    '',
    `ratio connector/direct (c=${c}): ${r.ratio}`,
    `added latency (c=1): p50 ${r.addedLatencyMs.p50} ms, p99 ${r.addedLatencyMs.p99} ms`,
    `bank token requests in steady state: ${r.steadyStateTokenRequests} (over ${r.method.steadyStateRequests} reads)`,
    `cold cache: ${r.method.coldReads} concurrent reads → ${r.coldRefreshCount} refresh grant(s), ${r.method.coldFailures} failed`,
    `connector RSS: peak ${r.peakRssMb} MB, after ${r.method.memoryRequests} requests ${r.rssAfter100kMb} MB, growth ${r.rssGrowthMb} MB (per block: ${r.method.rssAfterBlockMb.join(', ')}; NODE_OPTIONS ${r.method.connectorNodeOptions || 'none'})`,
    `CPU per request: connector ${r.cpuMsPerRequest.connector} ms; mock bank ${r.cpuMsPerRequest.bankDirect} ms direct, ${r.cpuMsPerRequest.bankViaConnector} ms via the connector`,
    `floor (framework-less proxy, scripts/bench/floor-proxy.ts): ${r.floor.rps} req/s, ratio ${r.floor.ratio}, ${r.floor.cpuMsPerRequest} ms CPU per request`,
    `payments: ${r.payments.rps}/s over ${r.payments.count} (${r.payments.method})`,
    `machine: ${r.machine.cpus} × ${r.machine.model}, ${r.machine.totalMemoryMb} MB, node ${r.machine.node}, load ${r.machine.loadAverage.join(' ')} at ${r.machine.date}`,
    '',
    table([
      ['target', 'wanted', 'measured', ''],
      ...r.targets.map((t) => [t.name, t.target, t.actual, t.met ? 'met' : 'MISSED']),
    ]),
  ];
  return lines.join('\n');
}
