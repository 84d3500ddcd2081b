import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError, ProblemDetailsFilter } from '@obc/common';
import { Logger } from '@nestjs/common';
import { ApiKeyVerifier } from './auth/api-key.verifier';
import { FastRequest, FastRoute, serveFastRoutes } from './fast-routes';

const KEY = 'test-api-key-0123456789';

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

function call(
  server: Server,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('serveFastRoutes', () => {
  let server: Server;
  const seen: FastRequest[] = [];
  const logged: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const recorded: [string, string, number][] = [];
  let outcome: () => Promise<{ body: unknown; headers?: Record<string, string> }>;

  const route: FastRoute = {
    match: (request) => {
      if (request.path === '/fast/throws') throw new Error('a route that cannot decide');
      if (!request.path.startsWith('/fast/')) return undefined;
      seen.push(request);
      return { template: '/fast/:id', serve: () => outcome() };
    },
  };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    server = createServer((_req, res) => {
      res.setHeader('x-served-by', 'app');
      res.end('app');
    });
    serveFastRoutes(server, {
      routes: [route],
      apiKeys: new ApiKeyVerifier([KEY]),
      problems: new ProblemDetailsFilter(),
      log: {
        info: (fields, message) =>
          logged.push({ level: 'info', fields: fields as Record<string, unknown>, message }),
        error: (fields, message) =>
          logged.push({ level: 'error', fields: fields as Record<string, unknown>, message }),
      },
      record: (_method, template, status) => recorded.push([_method, template, status]),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    seen.length = 0;
    logged.length = 0;
    recorded.length = 0;
    outcome = () => Promise.resolve({ body: { Data: { n: 'é' } }, headers: { 'x-extra': '1' } });
  });

  const auth = { authorization: `Bearer ${KEY}` };

  it('serves a matching GET with a valid key: JSON with its length, the request id, one log line, one metric', async () => {
    const res = await call(server, '/fast/1?a=1&a=2&b=%20x', { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.body)));
    expect(JSON.parse(res.body)).toEqual({ Data: { n: 'é' } });
    expect(res.headers['x-extra']).toBe('1');
    expect(res.headers['x-served-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // The query as Express 5's simple parser (node:querystring) gives it.
    expect({ ...seen[0].query }).toEqual({ a: ['1', '2'], b: ' x' });
    expect(seen[0].path).toBe('/fast/1');
    expect(logged).toEqual([
      {
        level: 'info',
        message: 'request completed',
        fields: {
          req: { method: 'GET', url: '/fast/1' },
          requestId: res.headers['x-request-id'],
          res: { statusCode: 200 },
          responseTime: expect.any(Number),
        },
      },
    ]);
    expect(recorded).toEqual([['GET', '/fast/:id', 200]]);
  });

  it("keeps the caller's request id when it is a plain token", async () => {
    const res = await call(server, '/fast/1', { headers: { ...auth, 'x-request-id': 'abc-1' } });
    expect(res.headers['x-request-id']).toBe('abc-1');
    expect(logged[0].fields.requestId).toBe('abc-1');
  });

  it.each([
    ['no credentials', '/fast/1', { headers: {} }],
    ['a wrong key', '/fast/1', { headers: { authorization: 'Bearer nope' } }],
    ['another scheme', '/fast/1', { headers: { authorization: `Basic ${KEY}` } }],
    ['a malformed header', '/fast/1', { headers: { authorization: `Bearer ${KEY} x` } }],
    ['an access_token parameter', `/fast/1?access_token=${KEY}`, { headers: auth }],
    ['a POST', '/fast/1', { method: 'POST', headers: auth }],
    ['a HEAD', '/fast/1', { method: 'HEAD', headers: auth }],
    [
      'a body',
      '/fast/1',
      { headers: { ...auth, 'content-type': 'text/plain', 'content-length': '5' }, body: 'hello' },
    ],
    ['another path', '/slow/1', { headers: auth }],
    ['a route that throws while matching', '/fast/throws', { headers: auth }],
  ])('leaves a request with %s to the app', async (_what, path, options) => {
    const res = await call(server, path, options);
    expect(res.headers['x-served-by']).toBe('app');
    expect(logged).toEqual([]);
    expect(recorded).toEqual([]);
  });

  it('accepts the scheme in any case, as the bearer strategy does', async () => {
    const res = await call(server, '/fast/1', { headers: { authorization: `bearer ${KEY}` } });
    expect(res.status).toBe(200);
  });

  it('renders a rejection with the problem filter, and logs and counts its status', async () => {
    outcome = () =>
      Promise.reject(new DomainError('consent/not-authorised', 'forbidden', 'Not authorised'));
    const res = await call(server, '/fast/2?x=1', { headers: auth });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(res.body)).toMatchObject({
      code: 'consent/not-authorised',
      status: 403,
      instance: '/fast/2',
      requestId: res.headers['x-request-id'],
    });
    expect(logged.map((l) => [l.level, l.message])).toEqual([['info', 'request completed']]);
    expect(recorded).toEqual([['GET', '/fast/:id', 403]]);
  });

  it('logs an unexpected failure as a 500 at error level, without its message in the answer', async () => {
    outcome = () => Promise.reject(new Error('secret detail'));
    const res = await call(server, '/fast/3', { headers: auth });
    expect(res.status).toBe(500);
    expect(res.body).not.toContain('secret detail');
    expect(JSON.parse(res.body)).toMatchObject({ code: 'internal/error' });
    expect(logged.map((l) => [l.level, l.message])).toEqual([['error', 'request errored']]);
  });

  it('refuses a server that does not have exactly one request listener', () => {
    expect(() =>
      serveFastRoutes(createServer(), {
        routes: [],
        apiKeys: new ApiKeyVerifier([KEY]),
        problems: new ProblemDetailsFilter(),
        log: { info: () => undefined, error: () => undefined },
        record: () => undefined,
      }),
    ).toThrow(/one request listener/);
  });
});
