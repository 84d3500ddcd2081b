import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadedPki } from '../../apps/mock-bank/src/pki';
import { registrationJourney } from '../support/journeys';
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
const SERVER = 2;
const CLIENT = 3;

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  name: string;
  kind: number;
  attributes?: OtlpAttribute[];
}
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

/** A span flattened for assertions: its attributes as plain values. */
interface Collected {
  name: string;
  kind: number;
  service?: string;
  attributes: Record<string, string | number | boolean | undefined>;
}

function plain(value: OtlpValue): string | number | boolean | undefined {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.boolValue ?? value.doubleValue;
}

function attributesOf(list: OtlpAttribute[] = []): Collected['attributes'] {
  return Object.fromEntries(list.map((a) => [a.key, plain(a.value)]));
}

/** A local OTLP/HTTP receiver: keeps every JSON body POSTed to /v1/traces. */
async function startReceiver(): Promise<{ server: Server; url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') bodies.push(body);
      res.writeHead(req.url === '/v1/traces' ? 200 : 404, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/v1/traces`, bodies };
}

/**
 * Tracing of a real journey: the connector (SQLite) registers with the mock bank over mTLS with
 * TRACING_ENABLED, and on SIGTERM exports its spans to a local OTLP receiver. The spans must
 * show the inbound request and the outbound bank calls, and carry no API key, token or query.
 */
describe('OpenTelemetry tracing end to end (SQLite, mTLS)', () => {
  let dir: string;
  let pki: LoadedPki;
  let bank: MockBankHandle;
  let connector: ConnectorHandle | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let spans: Collected[];
  let apiKey: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obc-e2e-tracing-'));
    receiver = await startReceiver();
    pki = await createPki(join(dir, 'pki'));
    bank = await startMockBank(pki);
    await enrolTpp(pki, bank, [REDIRECT]);
    connector = await startConnector({
      pki,
      bank,
      env: {
        TRACING_ENABLED: 'true',
        TRACING_OTLP_ENDPOINT: receiver.url,
        TRACING_SERVICE_NAME: 'obc-e2e-tracing',
      },
    });
    apiKey = connector.apiKey;
    const journey = await registrationJourney(connector.api, pki, { redirectUri: REDIRECT });
    expect(journey.bankRegistrationId).toBeTruthy();
    // A query string like an authorisation redirect's: it must not reach any span.
    await connector.api.get('/v1/manage/bank-registrations?code=sekrit-auth-code&state=s1');
    // SIGTERM: the app's shutdown hook exports what is still buffered.
    await connector.stop();
    connector = undefined;
    spans = receiver.bodies.flatMap((body) =>
      (JSON.parse(body) as OtlpExport).resourceSpans.flatMap((rs) => {
        const service = attributesOf(rs.resource.attributes)['service.name'];
        return rs.scopeSpans.flatMap((ss) =>
          ss.spans.map((s) => ({
            name: s.name,
            kind: s.kind,
            service: typeof service === 'string' ? service : undefined,
            attributes: attributesOf(s.attributes),
          })),
        );
      }),
    );
  });

  afterAll(async () => {
    await connector?.stop();
    await bank?.stop();
    await new Promise((r) => receiver?.server.close(r));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exports spans with the configured service name and the version', () => {
    expect(receiver.bodies.length).toBeGreaterThan(0);
    expect(spans.length).toBeGreaterThan(0);
    for (const s of spans) expect(s.service).toBe('obc-e2e-tracing');
  });

  it('has a server span for POST /v1/manage/bank-registrations', () => {
    const server = spans.filter(
      (s) =>
        s.kind === SERVER &&
        (s.attributes['http.method'] ?? s.attributes['http.request.method']) === 'POST' &&
        (s.attributes['http.target'] ?? s.attributes['url.path']) ===
          '/v1/manage/bank-registrations',
    );
    expect(server.length).toBe(1);
    expect(
      server[0].attributes['http.status_code'] ?? server[0].attributes['http.response.status_code'],
    ).toBe(201);
  });

  it('has client spans for the calls to the mock bank', () => {
    const client = spans.filter(
      (s) =>
        s.kind === CLIENT &&
        (s.attributes['net.peer.port'] ?? s.attributes['server.port']) === bank.port,
    );
    expect(client.length).toBeGreaterThanOrEqual(2);
    const methods = new Set(
      client.map((s) => s.attributes['http.method'] ?? s.attributes['http.request.method']),
    );
    expect(methods).toContain('POST');
  });

  it('records no API key, bearer token, header or query string', () => {
    // The request sent with `?code=` was traced, without its query.
    const withQuery = spans.filter(
      (s) =>
        s.kind === SERVER &&
        (s.attributes['http.method'] ?? s.attributes['http.request.method']) === 'GET' &&
        (s.attributes['http.target'] ?? s.attributes['url.path']) ===
          '/v1/manage/bank-registrations',
    );
    expect(withQuery.length).toBe(1);
    for (const body of receiver.bodies) {
      expect(body).not.toContain(apiKey);
      expect(body).not.toMatch(/bearer/i);
      expect(body).not.toContain('code=');
      expect(body).not.toContain('sekrit-auth-code');
      expect(body).not.toMatch(/http\.(request|response)\.header\./);
    }
  });
});
