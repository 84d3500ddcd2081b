import { ArgumentsHost, Logger } from '@nestjs/common';
import { BankCallError, DomainError } from './domain.error';
import { ProblemDetailsFilter } from './problem-details.filter';

function render(exception: unknown): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  const headers: Record<string, string> = {};
  let body = '';
  const res = {
    headersSent: false,
    statusCode: 0,
    setHeader: (k: string, v: string | number) => void (headers[k.toLowerCase()] = String(v)),
    getHeader: (k: string) => headers[k.toLowerCase()],
    end(chunk: string) {
      body = chunk;
    },
  };
  const host = {
    switchToHttp: () => ({
      getRequest: () => ({ headers: {}, originalUrl: '/v1/x' }),
      getResponse: () => res,
    }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return { status: res.statusCode, headers, body };
}

describe('ProblemDetailsFilter Retry-After', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('sends Retry-After (whole seconds) when the error carries one', () => {
    const bank = { status: null, endpoint: '/x', method: 'GET', interactionId: 'i', body: null };
    const out = render(
      new BankCallError('bank/circuit-open', 'unavailable', 'paused', bank, 'd', undefined, 2.2),
    );
    expect(out.status).toBe(503);
    expect(out.headers['retry-after']).toBe('3');
  });

  it('sends none otherwise', () => {
    expect(render(new DomainError('x/y', 'conflict', 't')).headers['retry-after']).toBeUndefined();
  });
});

describe('ProblemDetailsFilter response', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('answers problem+json in UTF-8 with its length, the instance and the code', () => {
    const out = render(
      new DomainError('consent/consumed', 'conflict', 'The consent has been used'),
    );
    expect(out.status).toBe(409);
    expect(out.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(out.headers['content-length']).toBe(String(Buffer.byteLength(out.body)));
    expect(JSON.parse(out.body)).toMatchObject({
      code: 'consent/consumed',
      status: 409,
      instance: '/v1/x',
    });
  });

  it('carries the interaction id of the bank call it involved (API.md), and none otherwise', () => {
    const bank = { status: 500, endpoint: '/x', method: 'GET', interactionId: 'ia-1', body: null };
    const failed = render(
      new BankCallError('bank/server-error', 'bank-failure', 'Bank failed', bank),
    );
    expect(failed.headers['x-fapi-interaction-id']).toBe('ia-1');
    expect(JSON.parse(failed.body).bank.interactionId).toBe('ia-1');
    const local = render(new DomainError('x/y', 'conflict', 't'));
    expect(local.headers['x-fapi-interaction-id']).toBeUndefined();
  });
});
