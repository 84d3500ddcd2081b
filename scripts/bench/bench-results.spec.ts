import {
  BenchMeasurements,
  buildResults,
  formatResults,
  MachineInfo,
  median,
  medianIndex,
  missingResultKeys,
  percentile,
  PhaseMeasurement,
  REQUIRED_RESULT_KEYS,
  summariseLatencies,
  TARGETS,
} from './bench-results';

const phase = (rps: number, p50: number, p99: number, failures = 0): PhaseMeasurement => ({
  rps,
  latencyMs: { p50, p99, mean: p50, count: 1000 },
  connections: 16,
  failures,
});

const machine: MachineInfo = {
  cpus: 2,
  model: 'test cpu',
  node: 'v22.0.0',
  platform: 'linux x64',
  totalMemoryMb: 4096,
  loadAverage: [0.1, 0.1, 0.1],
  date: '2026-12-06T00:00:00.000Z',
};

function measurements(over: Partial<BenchMeasurements> = {}): BenchMeasurements {
  return {
    throughputConnections: 16,
    rounds: 3,
    direct: { throughput: phase(1000, 8, 20), latency: phase(2000, 0.4, 1.2) },
    connector: { throughput: phase(700, 12, 30), latency: phase(1200, 1.1, 2.5) },
    cpuMsPerRequest: { bankDirect: 0.4, bankViaConnector: 0.5, connector: 0.9 },
    floor: { throughput: phase(1500, 6, 15), cpuMsPerRequest: 0.2 },
    steadyStateTokenRequests: 0,
    steadyStateRequests: 150_000,
    coldReads: 100,
    coldFailures: 0,
    coldRefreshCount: 1,
    memory: {
      requests: 100_000,
      rssAfterBlockMb: [180, 190, 191, 190, 192, 191, 190, 191, 192, 192],
      rps: 650,
      connectorNodeOptions: '--max-old-space-size=160',
    },
    peakRssMb: 200,
    payments: { count: 200, connections: 8, rps: 40, failures: 0, method: 'one consent each' },
    ...over,
  };
}

describe('bench percentile maths', () => {
  it('nearest rank over sorted samples', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3], 50)).toBe(2);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile(sorted, 101)).toThrow(RangeError);
  });

  it('summarises unsorted latencies without reordering the input', () => {
    const samples = [5, 1, 4, 2, 3];
    expect(summariseLatencies(samples)).toEqual({ p50: 3, p99: 5, mean: 3, count: 5 });
    expect(samples).toEqual([5, 1, 4, 2, 3]);
  });

  it('the round with the median value', () => {
    expect(medianIndex([0.4, 0.6, 0.5])).toBe(2);
    expect(medianIndex([0.7, 0.4, 0.6, 0.5])).toBe(3);
    expect(medianIndex([0.3])).toBe(0);
    expect(medianIndex([])).toBe(-1);
  });

  it('median of rounds', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('bench results', () => {
  it('carries every key issue 7 requires, computed from the measurements', () => {
    const r = buildResults(measurements(), machine);
    expect(missingResultKeys(r)).toEqual([]);
    expect(REQUIRED_RESULT_KEYS).toHaveLength(10);
    expect(r.direct.rps).toBe(1000);
    expect(r.connector.rps).toBe(700);
    expect(r.ratio).toBe(0.7);
    // Added latency comes from the concurrency-1 phase, not the throughput one.
    expect(r.addedLatencyMs).toEqual({ p50: 0.7, p99: 1.3 });
    expect(r.rssAfter100kMb).toBe(192);
    expect(r.rssGrowthMb).toBe(2); // second block (190) → last (192)
    expect(r.payments.rps).toBe(40);
    // The floor is reported beside the targets, never as one.
    expect(r.floor).toEqual({ rps: 1500, ratio: 1.5, cpuMsPerRequest: 0.2 });
    expect(r.targets.map((t) => t.name).join()).not.toMatch(/floor/);
    expect(r.machine).toEqual(machine);
    expect(r.allTargetsMet).toBe(true);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('names each missed target', () => {
    const r = buildResults(
      measurements({
        connector: { throughput: phase(500, 12, 30, 3), latency: phase(800, 1.6, 3) },
        steadyStateTokenRequests: 2,
        coldRefreshCount: 3,
        peakRssMb: 300,
      }),
      machine,
    );
    const missed = r.targets.filter((t) => !t.met).map((t) => t.name);
    expect(missed).toEqual([
      'throughput ratio',
      'added p50 latency (c=1)',
      'steady-state token requests',
      'cold-cache refresh grants',
      'peak RSS',
      'failed requests',
    ]);
    expect(r.allTargetsMet).toBe(false);
    expect(formatResults(r)).toContain('MISSED');
  });

  it('treats RSS growth past the allowance as a miss', () => {
    const blocks = [180, 190, 200, 210, 220, 230, 240, 245, 246, 247];
    const r = buildResults(
      measurements({
        memory: { ...measurements().memory, rssAfterBlockMb: blocks },
        peakRssMb: 247,
      }),
      machine,
    );
    expect(r.rssGrowthMb).toBe(57);
    expect(57).toBeGreaterThan(TARGETS.maxRssGrowthMb);
    expect(r.targets.find((t) => t.name.startsWith('RSS growth'))?.met).toBe(false);
  });

  it('reports a required key that is missing or not a number', () => {
    const r = buildResults(measurements(), machine) as unknown as Record<string, unknown>;
    expect(missingResultKeys({ ...r, ratio: Number.NaN })).toEqual(['ratio']);
    const { payments: _payments, ...withoutPayments } = r;
    expect(missingResultKeys(withoutPayments)).toEqual(['payments.rps']);
  });
});
