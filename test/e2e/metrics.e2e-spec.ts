import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadedPki } from '../../apps/mock-bank/src/pki';
import { registrationJourney, RegistrationJourneyResult } from '../support/journeys';
import {
  ConnectorHandle,
  createPki,
  enrolTpp,
  MockBankHandle,
  startConnector,
  startMockBank,
} from '../support/sandbox';

jest.setTimeout(120_000);

const REDIRECT = 'https://tpp.example/callback';

/** One sample line of the exposition: `name{labels} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

function find(samples: Sample[], name: string, labels: Record<string, string>): Sample[] {
  return samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}

function valueOf(samples: Sample[], name: string, labels: Record<string, string>): number {
  const found = find(samples, name, labels);
  if (found.length !== 1) {
    throw new Error(`${name}${JSON.stringify(labels)}: ${found.length} samples`);
  }
  return found[0].value;
}

/**
 * Metrics and logs of a real journey: the connector (SQLite) registers with the mock bank over
 * mTLS, then /metrics must show the HTTP, bank, TPP reporting and token cache series it caused,
 * and the logs must tie bank calls to requests without leaking anything the bank issued.
 */
describe('metrics and logs end to end (SQLite, mTLS)', () => {
  let dir: string;
  let pki: LoadedPki;
  let bank: MockBankHandle;
  let connector: ConnectorHandle;
  let journey: RegistrationJourneyResult;
  let samples: Sample[];
  let exposition: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obc-e2e-metrics-'));
    pki = await createPki(join(dir, 'pki'));
    bank = await startMockBank(pki);
    await enrolTpp(pki, bank, [REDIRECT]);
    // Debug, so that successful bank calls are logged too and the log scan covers them.
    connector = await startConnector({ pki, bank, env: { LOG_LEVEL: 'debug' } });
    journey = await registrationJourney(connector.api, pki, { redirectUri: REDIRECT });
    const again = await connector.api.get(
      `/v1/manage/bank-registrations/${journey.bankRegistrationId}`,
    );
    expect(again.status).toBe(200);
    const res = await connector.api.withApiKey(undefined).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    exposition = res.text;
    samples = parseExposition(exposition);
  });

  afterAll(async () => {
    await connector?.stop();
    await bank?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('counts bank calls by profile, endpoint, method and status class, with latency', () => {
    const bankCalls = (endpoint: string, method: string): number =>
      valueOf(samples, 'obc_bank_requests_total', {
        profile: 'mock-bank',
        endpoint,
        method,
        status_class: '2xx',
      });
    expect(bankCalls('dcr.register', 'POST')).toBe(1);
    expect(bankCalls('dcr.get', 'GET')).toBe(2);
    // One token for both reads: the second came from the cache.
    expect(bankCalls('token.client-credentials', 'POST')).toBe(1);
    const latency = valueOf(samples, 'obc_bank_request_duration_seconds_count', {
      profile: 'mock-bank',
      endpoint: 'dcr.get',
      status_class: '2xx',
    });
    expect(latency).toBe(2);
    const sum = valueOf(samples, 'obc_bank_request_duration_seconds_sum', {
      profile: 'mock-bank',
      endpoint: 'dcr.get',
      status_class: '2xx',
    });
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(60);
    for (const s of find(samples, 'obc_bank_requests_total', {})) {
      expect(['2xx', '3xx', '4xx', '5xx', 'none']).toContain(s.labels.status_class);
    }
  });

  it('counts responses in the OB TPP reporting categories', () => {
    expect(
      valueOf(samples, 'obc_tpp_reporting_responses_total', {
        bank: 'mock-bank',
        endpoint: 'dcr.get',
        outcome: '2xx',
      }),
    ).toBe(2);
    for (const s of find(samples, 'obc_tpp_reporting_responses_total', {})) {
      expect(['2xx', '4xx', '5xx', 'no_response']).toContain(s.labels.outcome);
    }
  });

  it('reports a token cache miss, then a hit on the second read', () => {
    const cache = (result: string): number =>
      valueOf(samples, 'obc_token_cache_requests_total', {
        result,
        kind: 'client-credentials',
      });
    expect(cache('miss')).toBe(1);
    expect(cache('hit')).toBe(1);
  });

  it('times API requests by route template, never by raw URL', () => {
    const route = '/v1/manage/bank-registrations/:id';
    expect(
      valueOf(samples, 'obc_http_server_requests_total', {
        method: 'GET',
        route,
        status_class: '2xx',
      }),
    ).toBe(2);
    expect(
      valueOf(samples, 'obc_http_server_request_duration_seconds_count', {
        method: 'GET',
        route,
        status_class: '2xx',
      }),
    ).toBe(2);
    expect(
      valueOf(samples, 'obc_http_server_requests_total', {
        method: 'POST',
        route: '/v1/manage/bank-registrations',
        status_class: '2xx',
      }),
    ).toBe(1);
    expect(exposition).not.toContain(journey.bankRegistrationId);
    expect(exposition).not.toContain(journey.externalApiId);
    // Process metrics, prefixed.
    expect(find(samples, 'obc_process_cpu_seconds_total', {})).toHaveLength(1);
  });

  it('logs JSON lines with request ids, bank calls tied to requests, and no secret', async () => {
    const parse = () =>
      connector.process
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const isRequestLine = (l: Record<string, unknown>) =>
      l.res !== undefined && l.req !== undefined;
    // A request's log line is written as its response finishes; on a busy machine the last one
    // may reach the pipe a moment after the client has its answer.
    for (let i = 0; i < 50 && parse().filter(isRequestLine).length < 6; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const lines = parse();
    const requestLines = lines.filter(isRequestLine);
    expect(requestLines.length).toBeGreaterThanOrEqual(6);
    for (const l of requestLines) {
      expect(typeof l.requestId).toBe('string');
      expect(JSON.stringify(l)).not.toMatch(/authorization|cookie/i);
    }
    const bankLines = lines.filter((l) => /^bank call /.test(String(l.msg)));
    expect(bankLines.length).toBeGreaterThanOrEqual(4);
    const requestIds = new Set(requestLines.map((l) => l.requestId));
    for (const l of bankLines) {
      expect(String(l.msg)).toMatch(/interactionId=[0-9a-f-]{36}/);
      // Bank calls made while serving a request carry that request's id.
      expect(requestIds.has(l.requestId)).toBe(true);
    }

    const output = connector.process.output();
    const secrets = await bank.issuedSecrets();
    expect(secrets.length).toBeGreaterThanOrEqual(2);
    for (const secret of secrets) expect(output).not.toContain(secret);
  });
});
