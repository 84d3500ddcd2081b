import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { answerClientErrorsWithProblems } from './client-error';

function send(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(raw));
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('answerClientErrorsWithProblems', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    answerClientErrorsWithProblems(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('an overlong URL gets a 431 problem+json with a code, not a bare status line (regression)', async () => {
    const status = await new Promise<{ status?: number; type?: string; body: string }>(
      (resolve, reject) => {
        const req = request(
          `http://127.0.0.1:${port}/v1/x/${'a'.repeat(20_000)}`,
          { agent: false },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString('utf8')));
            res.on('end', () =>
              resolve({ status: res.statusCode, type: res.headers['content-type'], body }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      },
    );
    expect(status.status).toBe(431);
    expect(status.type).toBe('application/problem+json');
    expect(JSON.parse(status.body)).toMatchObject({
      status: 431,
      code: 'request/headers-too-large',
      title: expect.any(String),
      type: expect.stringContaining('request-headers-too-large'),
    });
  });

  it('malformed HTTP gets a 400 problem+json', async () => {
    const text = await send(port, 'GARBAGE\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain('content-type: application/problem+json');
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 400,
      code: 'request/malformed-http',
    });
  });

  it('a request not received in time is a 408 problem; a reset socket is just closed', () => {
    const handlers: ((error: NodeJS.ErrnoException, socket: unknown) => void)[] = [];
    answerClientErrorsWithProblems({
      on: (_event: string, handler: (error: NodeJS.ErrnoException, socket: unknown) => void) =>
        handlers.push(handler),
    } as never);
    const socket = () => ({ writable: true, end: jest.fn(), destroy: jest.fn() });
    const timedOut = socket();
    handlers[0](
      Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }),
      timedOut,
    );
    expect(String(timedOut.end.mock.calls[0][0])).toMatch(
      /^HTTP\/1\.1 408 [\s\S]*"code":"request\/timeout"/,
    );
    const reset = socket();
    handlers[0](Object.assign(new Error('reset'), { code: 'ECONNRESET' }), reset);
    expect(reset.destroy).toHaveBeenCalled();
    expect(reset.end).not.toHaveBeenCalled();
  });

  it('still serves well-formed requests', async () => {
    const text = await send(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
  });
});
