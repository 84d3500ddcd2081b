import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { Ledger } from '../admin/ledger';
import { TokenDelay, tokenDelayRouter } from './token-delay';

/** The mock bank's wiring: the admin route, the delay before a stand-in for oidc-provider. */
function app() {
  const ledger = new Ledger();
  const delay = new TokenDelay(ledger);
  const handled: string[] = [];
  const a = express();
  a.use('/__admin', tokenDelayRouter(delay));
  a.post('/token', delay.middleware());
  // Like oidc-provider: the body it was handed (raw, when the fault read it) or the stream.
  a.post('/token', (req, res) => {
    const done = (raw: string) => {
      handled.push(raw);
      res.json({ grant: new URLSearchParams(raw).get('grant_type') });
    };
    const given = (req as { body?: unknown }).body;
    if (typeof given === 'string') return done(given);
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => done(raw));
  });
  const events = (type: string) => ledger.snapshot().events.filter((e) => e.type === type);
  return { app: a, ledger, delay, handled, events };
}

const form = (grant: string) => `grant_type=${grant}&refresh_token=rt-1&client_id=c-1`;

describe('token-delay fault', () => {
  it.each([
    [{}, /ms must be an integer/],
    [{ ms: 0 }, /ms must be an integer/],
    [{ ms: 2.5 }, /ms must be an integer/],
    [{ ms: 120_001 }, /ms must be an integer/],
    [{ ms: '10' }, /ms must be an integer/],
    [{ ms: 10, grantType: 'password' }, /grantType must be one of/],
    [{ ms: 10, once: 'no' }, /once must be a boolean/],
    [{ ms: 10, delay: 5 }, /unknown members: delay/],
    [{ ms: 10, phase: 'during' }, /phase must be one of/],
    [[1], /JSON object/],
  ])('refuses %j with 400 and keeps no fault', async (body, message) => {
    const t = app();
    const res = await request(t.app).post('/__admin/faults/token-delay').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error_description).toMatch(message);
    expect((await request(t.app).get('/__admin/faults/token-delay')).body).toEqual({
      delay: null,
    });
  });

  it('defaults to refresh_token and once; GET shows it, reset clears it', async () => {
    const t = app();
    const set = await request(t.app).post('/__admin/faults/token-delay').send({ ms: 5 });
    expect(set.body).toEqual({
      grantType: 'refresh_token',
      ms: 5,
      phase: 'before-grant',
      once: true,
    });
    expect((await request(t.app).get('/__admin/faults/token-delay')).body.delay).toEqual(set.body);
    expect((await request(t.app).post('/__admin/faults/token-delay/reset')).status).toBe(204);
    expect((await request(t.app).get('/__admin/faults/token-delay')).body).toEqual({
      delay: null,
    });
  });

  it('holds only the matching grant, once, and hands the body on intact', async () => {
    const t = app();
    await request(t.app).post('/__admin/faults/token-delay').send({ ms: 20 });
    const post = (grant: string) => request(t.app).post('/token').type('form').send(form(grant));
    const other = await post('client_credentials');
    expect(other.body).toEqual({ grant: 'client_credentials' });
    expect(t.events('token.delayed')).toHaveLength(0);

    const held = await post('refresh_token');
    expect(held.body).toEqual({ grant: 'refresh_token' });
    expect(t.events('token.delayed')).toMatchObject([{ grantType: 'refresh_token' }]);
    expect(t.handled).toEqual([form('client_credentials'), form('refresh_token')]);

    // once: the next refresh goes straight through.
    expect((await post('refresh_token')).status).toBe(200);
    expect(t.events('token.delayed')).toHaveLength(1);
    expect(t.events('token.abandoned')).toHaveLength(0);
  });

  it('drops the request unprocessed when the client hangs up during the delay', async () => {
    const t = app();
    t.delay.set({ ms: 60_000 });
    const server = t.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      const body = form('refresh_token');
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/token',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
        },
      });
      req.on('error', () => undefined);
      req.end(body);
      await waitFor(() => t.events('token.delayed').length === 1);
      req.destroy(); // the client dies
      await waitFor(() => t.events('token.abandoned').length === 1);
      expect(t.handled).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('token-delay fault, after-grant', () => {
  it('processes the grant, then loses the answer when the client hangs up during the delay', async () => {
    const t = app();
    t.delay.set({ ms: 60_000, phase: 'after-grant' });
    const server = t.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      const body = form('refresh_token');
      let answered = false;
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/token',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
          },
        },
        () => (answered = true),
      );
      req.on('error', () => undefined);
      req.end(body);
      await waitFor(() => t.events('token.delayed').length === 1);
      expect(t.handled).toEqual([body]); // the grant ran
      req.destroy();
      await waitFor(() => t.events('token.answer-lost').length === 1);
      expect(answered).toBe(false);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('answers after the delay when the client waits', async () => {
    const t = app();
    t.delay.set({ ms: 20, phase: 'after-grant' });
    const res = await request(t.app).post('/token').type('form').send(form('refresh_token'));
    expect(res.body).toEqual({ grant: 'refresh_token' });
    expect(t.events('token.delayed')).toHaveLength(1);
    expect(t.events('token.answer-lost')).toHaveLength(0);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 20));
  expect(condition()).toBe(true);
}
