import { ArgumentsHost, Logger } from '@nestjs/common';
import { BankCallError, DomainError } from './domain.error';
import { ProblemDetailsFilter } from './problem-details.filter';

function render(exception: unknown): { status: number; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  let status = 0;
  const res = {
    headersSent: false,
    setHeader: (k: string, v: string) => void (headers[k.toLowerCase()] = v),
    status(s: number) {
      status = s;
      return this;
    },
    type() {
      return this;
    },
    send() {
      return this;
    },
  };
  const host = {
    switchToHttp: () => ({
      getRequest: () => ({ headers: {}, originalUrl: '/v1/x' }),
      getResponse: () => res,
    }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return { status, headers };
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
