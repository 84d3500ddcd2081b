import express from 'express';
import request from 'supertest';
import { Ledger } from '../admin/ledger';
import { FaultInjector } from './fault-injector';
import { faultsRouter } from './faults.router';
import { NetworkFaults, parseNetworkFault } from './network-faults';

const ACCOUNTS = '/open-banking/v4.0/aisp/accounts';

let received: string[] = [];

function app(): { app: express.Express; ledger: Ledger } {
  received = [];
  const ledger = new Ledger();
  const network = new NetworkFaults(ledger);
  const a = express();
  a.use('/__admin', faultsRouter(new FaultInjector({}), network));
  a.use(network.middleware());
  a.get(ACCOUNTS, (_req, res) => res.json({ Data: { Account: [] } }));
  a.post(
    '/open-banking/v4.0/pisp/domestic-payments',
    express.raw({ type: () => true }),
    (req, res) => {
      received.push(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
      res.status(201).json({ ok: true });
    },
  );
  a.post('/token', (_req, res) => res.json({ access_token: 'x' }));
  a.get('/directory/x', (_req, res) => res.json({ ok: true }));
  return { app: a, ledger };
}

const faultEvents = (ledger: Ledger) =>
  ledger.snapshot().events.filter((e) => e.type === 'network.fault');

describe('mock bank network faults', () => {
  it('answers a 5xx with Retry-After on resource endpoints, for `times` requests, recording each', async () => {
    const { app: a, ledger } = app();
    await request(a)
      .post('/__admin/faults/network')
      .send({ fault: 'status', status: 503, retryAfter: 2, times: 2 })
      .expect(200);
    for (let i = 0; i < 2; i++) {
      const res = await request(a).get(ACCOUNTS).set('x-fapi-interaction-id', 'iid').expect(503);
      expect(res.headers['retry-after']).toBe('2');
      expect(res.headers['x-fapi-interaction-id']).toBe('iid');
      expect(res.body.Errors[0].ErrorCode).toBe('UK.OBIE.UnexpectedError');
    }
    await request(a).get(ACCOUNTS).expect(200);
    expect(faultEvents(ledger)).toHaveLength(2);
    expect((await request(a).get('/__admin/faults/network')).body).toEqual({ fault: null });
  });

  it('answers 429 with Retry-After (1 s by default, or an HTTP date)', async () => {
    const { app: a } = app();
    await request(a).post('/__admin/faults/network').send({ fault: 'rate-limit' }).expect(200);
    expect((await request(a).get(ACCOUNTS).expect(429)).headers['retry-after']).toBe('1');
    const date = 'Sun, 06 Dec 2026 10:00:05 GMT';
    await request(a)
      .post('/__admin/faults/network')
      .send({ fault: 'rate-limit', retryAfter: date })
      .expect(200);
    expect((await request(a).get(ACCOUNTS).expect(429)).headers['retry-after']).toBe(date);
  });

  it('answers slowly, then normally', async () => {
    const { app: a } = app();
    await request(a)
      .post('/__admin/faults/network')
      .send({ fault: 'slow', delayMs: 150, times: 1 })
      .expect(200);
    const started = Date.now();
    await request(a).get(ACCOUNTS).expect(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('slow: processes the request at once, answers late (the client may have given up)', async () => {
    const { app: a, ledger } = app();
    await request(a)
      .post('/__admin/faults/network')
      .send({ fault: 'slow', delayMs: 300, method: 'POST', times: 1 })
      .expect(200);
    await expect(
      request(a)
        .post('/open-banking/v4.0/pisp/domestic-payments')
        .set('content-type', 'application/json')
        .send('{"a":1}')
        .timeout(50),
    ).rejects.toThrow(/Timeout/);
    for (let i = 0; i < 100 && received.length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual(['{"a":1}']);
    expect(faultEvents(ledger)).toMatchObject([{ error: 'slow' }]);
  });

  it('answers malformed JSON with a JSON content type', async () => {
    const { app: a } = app();
    await request(a).post('/__admin/faults/network').send({ fault: 'malformed-json' }).expect(200);
    const res = await request(a)
      .get(ACCOUNTS)
      .buffer(true)
      .parse((r, cb) => {
        let t = '';
        r.on('data', (c: Buffer) => (t += c.toString()));
        r.on('end', () => cb(null, t));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(() => JSON.parse(res.body as string)).toThrow();
  });

  it('truncates: declares a length, sends less and closes', async () => {
    const { app: a } = app();
    await request(a).post('/__admin/faults/network').send({ fault: 'truncate' }).expect(200);
    await expect(request(a).get(ACCOUNTS)).rejects.toThrow(/aborted|ECONNRESET|socket hang up/);
  });

  it('accepts then resets the connection', async () => {
    const { app: a, ledger } = app();
    await request(a).post('/__admin/faults/network').send({ fault: 'reset' }).expect(200);
    await expect(request(a).get(ACCOUNTS)).rejects.toThrow(/ECONNRESET|socket hang up/);
    expect(faultEvents(ledger)).toHaveLength(1);
  });

  it('filters by target, path, method and host; records the idempotency key and body hash', async () => {
    const { app: a, ledger } = app();
    await request(a)
      .post('/__admin/faults/network')
      .send({ fault: 'status', status: 500, method: 'POST', pathPrefix: '/open-banking/v4.0/pisp' })
      .expect(200);
    await request(a).get(ACCOUNTS).expect(200);
    await request(a).post('/token').expect(200);
    await request(a).get('/directory/x').expect(200);
    await request(a)
      .post('/open-banking/v4.0/pisp/domestic-payments')
      .set('x-idempotency-key', 'k-1')
      .send('{"a":1}')
      .expect(500);
    expect(faultEvents(ledger)).toMatchObject([
      {
        endpoint: 'POST /open-banking/v4.0/pisp/domestic-payments',
        error: 'status',
        idempotencyKey: 'k-1',
        bodySha256: '015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862',
      },
    ]);

    await request(a)
      .post('/__admin/faults/network')
      .send({ fault: 'status', status: 502, target: 'token' })
      .expect(200);
    await request(a).get(ACCOUNTS).expect(200);
    await request(a).post('/token').expect(502);

    await request(a)
      .post('/__admin/faults/network')
      .send({ fault: 'status', status: 502, host: 'bank-a.example' })
      .expect(200);
    await request(a).get(ACCOUNTS).expect(200); // supertest's host is 127.0.0.1
    await request(a).get(ACCOUNTS).set('host', 'bank-a.example:8443').expect(502);

    await request(a).post('/__admin/faults/network/reset').expect(204);
    await request(a).get(ACCOUNTS).set('host', 'bank-a.example').expect(200);
  });

  it.each([
    [[], 'the body must be a JSON object'],
    [{}, 'fault is required'],
    [{ fault: 'explode' }, 'fault must be one of'],
    [{ fault: 'status' }, 'needs status'],
    [{ fault: 'status', status: 404 }, 'status must be an integer 500-599'],
    [{ fault: 'rate-limit', status: 503 }, 'status applies to fault status only'],
    [{ fault: 'slow' }, 'needs delayMs'],
    [{ fault: 'slow', delayMs: 0 }, 'delayMs must be an integer'],
    [{ fault: 'slow', delayMs: 10, retryAfter: 1 }, 'retryAfter applies'],
    [{ fault: 'reset', delayMs: 10 }, 'delayMs applies to fault slow only'],
    [
      { fault: 'rate-limit', retryAfter: 'soon' },
      'retryAfter must be delay seconds or an HTTP date',
    ],
    [{ fault: 'rate-limit', retryAfter: -1 }, 'retryAfter must be an integer'],
    [{ fault: 'reset', times: 0 }, 'times must be an integer'],
    [{ fault: 'reset', target: 'directory' }, 'target must be one of'],
    [{ fault: 'reset', pathPrefix: 'open-banking' }, 'pathPrefix must be a path'],
    [{ fault: 'reset', host: 'a:1' }, 'host must be a host name'],
    [{ fault: 'reset', method: 'TRACE' }, 'method must be an HTTP method'],
    [{ fault: 'reset', extra: true }, 'unknown field(s) extra'],
  ])('refuses %j with a 400 saying why, and sets nothing', async (body, message) => {
    const { app: a } = app();
    expect(() => parseNetworkFault(body)).toThrow(message);
    const res = await request(a).post('/__admin/faults/network').send(body).expect(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.error_description).toContain(message);
    expect((await request(a).get('/__admin/faults/network')).body).toEqual({ fault: null });
    await request(a).get(ACCOUNTS).expect(200);
  });
});
