import { randomUUID, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Agent, request } from 'node:https';

/**
 * The bench's floor (not part of the connector): the least any Node.js process can do to serve
 * the connector's accounts read, written without a framework. It checks the API key, calls the
 * bank over mTLS on a keep-alive pool with the cached bank token and the FAPI headers, parses the
 * bank's JSON, rewrites Links.Self to its own origin and answers. It has no database, no
 * routing, no validation, no logging, no metrics and no token life cycle, so its throughput is
 * an upper bound for the connector on the same machine: `npm run bench` measures it beside the
 * direct call and the connector, to tell a target the hardware allows from one it does not.
 *
 * Configured by environment (set by scripts/bench.ts): FLOOR_BANK_URL, FLOOR_BANK_TOKEN,
 * FLOOR_FINANCIAL_ID, FLOOR_API_KEY, FLOOR_CERT_FILE, FLOOR_KEY_FILE, FLOOR_CA_FILE. It prints
 * `floor listening on <port>` once it serves.
 */

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const bankUrl = new URL(env('FLOOR_BANK_URL'));
const bankToken = env('FLOOR_BANK_TOKEN');
const financialId = env('FLOOR_FINANCIAL_ID');
const apiKey = Buffer.from(`Bearer ${env('FLOOR_API_KEY')}`);
const agent = new Agent({
  keepAlive: true,
  maxSockets: 64,
  cert: readFileSync(env('FLOOR_CERT_FILE')),
  key: readFileSync(env('FLOOR_KEY_FILE')),
  ca: readFileSync(env('FLOOR_CA_FILE')),
});

function fail(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ status }));
}

function serve(req: IncomingMessage, res: ServerResponse): void {
  const given = Buffer.from(req.headers.authorization ?? '');
  if (given.length !== apiKey.length || !timingSafeEqual(given, apiKey)) return fail(res, 401);
  if (req.method !== 'GET' || req.url !== '/v1/aisp/accounts') return fail(res, 404);
  const upstream = request(
    bankUrl,
    {
      agent,
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${bankToken}`,
        'x-fapi-financial-id': financialId,
        'x-fapi-interaction-id': randomUUID(),
      },
    },
    (bankRes) => {
      const chunks: Buffer[] = [];
      bankRes.on('data', (c: Buffer) => chunks.push(c));
      bankRes.on('end', () => {
        if (bankRes.statusCode !== 200) return fail(res, 502);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          Links?: { Self?: string };
        };
        if (body.Links?.Self) body.Links.Self = `http://${req.headers.host}/v1/aisp/accounts`;
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      });
    },
  );
  upstream.on('error', () => fail(res, 502));
  upstream.end();
}

const server = createServer({ keepAliveTimeout: 30_000 }, serve);
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`floor listening on ${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
