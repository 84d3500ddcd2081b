import { DomainError, ProblemDetailsFilter } from '@obc/common';
import { QueryFailedError } from 'typeorm';
import { DatabaseUnavailableError, databaseUnavailableTranslator } from './database-unavailable';

const URL = 'postgres://postgres@127.0.0.1:6543/obc';

function socketError(code: string, port?: number): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:${String(port)}`), {
    code,
    ...(port === undefined ? {} : { port, address: '127.0.0.1' }),
  });
}

/** What node-postgres throws for a server error: a DatabaseError with severity and SQLSTATE. */
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'FATAL' });
}

describe('databaseUnavailableTranslator', () => {
  const translate = databaseUnavailableTranslator(URL);

  it.each([
    ['connection refused on the database port', socketError('ECONNREFUSED', 6543)],
    [
      'admin shutdown (pg_ctl stop -m fast)',
      pgError('57P01', 'terminating connection due to administrator command'),
    ],
    ['starting up', pgError('57P03', 'the database system is starting up')],
    ['connection failure class 08', pgError('08006', 'connection failure')],
    ['too many connections', pgError('53300', 'sorry, too many clients already')],
    ['a connection that died', new Error('Connection terminated unexpectedly')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    [
      'wrapped by TypeORM',
      new QueryFailedError('SELECT 1', [], pgError('57P01', 'terminating connection')),
    ],
    ['as a cause', new Error('outer', { cause: socketError('ECONNREFUSED', 6543) })],
    ['in an AggregateError', new AggregateError([socketError('ECONNREFUSED', 6543)])],
    [
      'a pooled connection reset by a restarting server (read ECONNRESET, no port)',
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' }),
    ],
  ])('%s → 503 database/unavailable', (_name, error) => {
    const translated = translate(error);
    expect(translated).toBeInstanceOf(DatabaseUnavailableError);
    expect(translated).toMatchObject({ code: 'database/unavailable', kind: 'unavailable' });
  });

  it.each([
    ['a refused connection to another port (a bank)', socketError('ECONNREFUSED', 443)],
    ['a socket error without a port', socketError('ECONNRESET')],
    ['a query error', pgError('23505', 'duplicate key value violates unique constraint')],
    ['a SQLSTATE-like code without severity', Object.assign(new Error('x'), { code: '08006' })],
    ['a plain error', new Error('boom')],
    ['not an error', 'Connection terminated'],
    ['null', null],
  ])('%s is left alone', (_name, error) => {
    expect(translate(error)).toBeUndefined();
  });

  it('translates nothing without a PostgreSQL URL (SQLite)', () => {
    expect(databaseUnavailableTranslator(undefined)(socketError('ECONNREFUSED', 5432))).toBe(
      undefined,
    );
  });

  it('uses port 5432 when the URL names none', () => {
    const t = databaseUnavailableTranslator('postgres://db.internal/obc');
    expect(t(socketError('ECONNREFUSED', 5432))).toBeInstanceOf(DatabaseUnavailableError);
    expect(t(socketError('ECONNREFUSED', 6543))).toBeUndefined();
  });
});

describe('ProblemDetailsFilter with the database translator', () => {
  function render(filter: ProblemDetailsFilter, error: unknown) {
    const sent: { status?: number; body?: string; type?: string } = {};
    const res = {
      headersSent: false,
      set statusCode(s: number) {
        sent.status = s;
      },
      setHeader(name: string, value: string) {
        if (name === 'content-type') sent.type = value;
      },
      getHeader: () => undefined,
      end(b: string) {
        sent.body = b;
      },
    };
    const host = {
      switchToHttp: () => ({
        getRequest: () => ({ headers: {}, originalUrl: '/v1/aisp/accounts?x=1' }),
        getResponse: () => res,
      }),
    };
    filter.catch(error, host as never);
    return { ...sent, json: JSON.parse(sent.body ?? '{}') as Record<string, unknown> };
  }

  it('answers 503 database/unavailable for a refused database connection, 500 without the translator', () => {
    const error = socketError('ECONNREFUSED', 6543);
    const withTranslator = render(
      new ProblemDetailsFilter(databaseUnavailableTranslator(URL)),
      error,
    );
    expect(withTranslator.status).toBe(503);
    expect(withTranslator.type).toBe('application/problem+json; charset=utf-8');
    expect(withTranslator.json).toMatchObject({
      code: 'database/unavailable',
      status: 503,
      instance: '/v1/aisp/accounts',
    });
    expect(render(new ProblemDetailsFilter(), error).status).toBe(500);
  });

  it('never translates a DomainError', () => {
    const domain = new DomainError('x/y', 'conflict', 'Conflict', {
      cause: socketError('ECONNREFUSED', 6543),
    });
    const out = render(new ProblemDetailsFilter(databaseUnavailableTranslator(URL)), domain);
    expect(out.status).toBe(409);
    expect(out.json.code).toBe('x/y');
  });
});
