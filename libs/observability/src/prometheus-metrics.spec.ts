import { ConnectorMetrics } from './connector-metrics';
import { PrometheusBankHttpMetrics } from './prometheus-bank-http.metrics';
import { PrometheusTokenMetrics } from './prometheus-token.metrics';
import { tppReportingOutcome } from './tpp-reporting';

async function valueOf(
  metrics: ConnectorMetrics,
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const found = values.find((v) =>
    Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want),
  );
  return found?.value;
}

describe('bank call metrics', () => {
  let metrics: ConnectorMetrics;
  let bank: PrometheusBankHttpMetrics;

  beforeEach(() => {
    metrics = new ConnectorMetrics({ defaultMetrics: false });
    bank = new PrometheusBankHttpMetrics(metrics);
  });

  it('counts calls by profile, endpoint, method and status class, and times them', async () => {
    const call = {
      profileId: 'mock-bank',
      endpoint: 'dcr.register',
      method: 'POST',
      status: 201,
      statusClass: '2xx',
      durationMs: 120,
    };
    bank.observeCall(call);
    bank.observeCall({ ...call, durationMs: 80 });
    const labels = { profile: 'mock-bank', endpoint: 'dcr.register' };
    expect(
      await valueOf(metrics, 'obc_bank_requests_total', {
        ...labels,
        method: 'POST',
        status_class: '2xx',
      }),
    ).toBe(2);
    expect(
      await valueOf(metrics, 'obc_bank_request_duration_seconds', {
        ...labels,
        status_class: '2xx',
        // the histogram's _sum sample
      }),
    ).toBeDefined();
    const text = await metrics.exposition();
    expect(text).toContain(
      'obc_bank_request_duration_seconds_sum{profile="mock-bank",endpoint="dcr.register",status_class="2xx"} 0.2',
    );
    expect(text).toContain(
      'obc_bank_request_duration_seconds_count{profile="mock-bank",endpoint="dcr.register",status_class="2xx"} 2',
    );
    expect(
      await valueOf(metrics, 'obc_tpp_reporting_responses_total', {
        bank: 'mock-bank',
        endpoint: 'dcr.register',
        outcome: '2xx',
      }),
    ).toBe(2);
    expect(text).not.toContain('obc_bank_request_errors_total{');
  });

  it('reports an unanswered call as status class none and TPP outcome no_response, with its error code', async () => {
    bank.observeCall({
      profileId: 'bank-a',
      endpoint: 'token.client-credentials',
      method: 'POST',
      status: null,
      statusClass: 'none',
      durationMs: 5000,
      errorCode: 'bank/timeout',
    });
    expect(
      await valueOf(metrics, 'obc_bank_requests_total', {
        profile: 'bank-a',
        endpoint: 'token.client-credentials',
        method: 'POST',
        status_class: 'none',
      }),
    ).toBe(1);
    expect(
      await valueOf(metrics, 'obc_tpp_reporting_responses_total', {
        bank: 'bank-a',
        outcome: 'no_response',
      }),
    ).toBe(1);
    expect(
      await valueOf(metrics, 'obc_bank_request_errors_total', {
        profile: 'bank-a',
        endpoint: 'token.client-credentials',
        code: 'bank/timeout',
      }),
    ).toBe(1);
  });

  it('counts retries by error code and shows each bank circuit state', async () => {
    const retry = { profileId: 'bank-a', endpoint: 'aisp.accounts', attempt: 2, delayMs: 10 };
    bank.observeRetry({ ...retry, errorCode: 'bank/server-error' });
    bank.observeRetry({ ...retry, attempt: 3, errorCode: 'bank/server-error' });
    expect(
      await valueOf(metrics, 'obc_bank_request_retries_total', {
        profile: 'bank-a',
        endpoint: 'aisp.accounts',
        code: 'bank/server-error',
      }),
    ).toBe(2);
    bank.observeCircuitState('bank-a', 'open');
    bank.observeCircuitState('bank-b', 'half-open');
    expect(await valueOf(metrics, 'obc_bank_circuit_state', { profile: 'bank-a' })).toBe(2);
    expect(await valueOf(metrics, 'obc_bank_circuit_state', { profile: 'bank-b' })).toBe(1);
    bank.observeCircuitState('bank-a', 'closed');
    expect(await valueOf(metrics, 'obc_bank_circuit_state', { profile: 'bank-a' })).toBe(0);
  });

  it.each([
    [200, '2xx'],
    [204, '2xx'],
    [302, '5xx'],
    [400, '4xx'],
    [429, '4xx'],
    [500, '5xx'],
    [503, '5xx'],
    [null, 'no_response'],
  ] as const)('TPP reporting outcome of %s is %s', (status, outcome) => {
    expect(tppReportingOutcome(status)).toBe(outcome);
  });
});

describe('token cache metrics', () => {
  it('counts hits and misses by kind', async () => {
    const metrics = new ConnectorMetrics({ defaultMetrics: false });
    const tokens = new PrometheusTokenMetrics(metrics);
    tokens.cacheMiss('client-credentials');
    tokens.cacheHit('client-credentials');
    tokens.cacheHit('client-credentials');
    tokens.cacheMiss('discovery');
    const name = 'obc_token_cache_requests_total';
    expect(await valueOf(metrics, name, { result: 'miss', kind: 'client-credentials' })).toBe(1);
    expect(await valueOf(metrics, name, { result: 'hit', kind: 'client-credentials' })).toBe(2);
    expect(await valueOf(metrics, name, { result: 'miss', kind: 'discovery' })).toBe(1);
    expect(await valueOf(metrics, name, { result: 'hit', kind: 'discovery' })).toBeUndefined();
  });
});

describe('registry', () => {
  it('is dedicated, and carries prefixed process metrics unless disabled', async () => {
    const withDefaults = new ConnectorMetrics();
    const text = await withDefaults.exposition();
    expect(text).toContain('obc_process_cpu_seconds_total');
    expect(text).toContain('# TYPE obc_http_server_request_duration_seconds histogram');
    const bare = await new ConnectorMetrics({ defaultMetrics: false }).exposition();
    expect(bare).not.toContain('process_cpu');
    // Two instances do not share series (no global registry).
    new PrometheusTokenMetrics(withDefaults).cacheHit('discovery');
    expect(bare).not.toContain('result="hit"');
  });
});
