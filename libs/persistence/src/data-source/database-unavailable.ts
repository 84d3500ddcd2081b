import { DomainError, type ErrorTranslator } from '@obc/common';

/** The database cannot be reached (down, restarting, refusing connections): retry later. */
export class DatabaseUnavailableError extends DomainError {
  constructor(cause?: unknown) {
    super('database/unavailable', 'unavailable', 'The database is unavailable', {
      detail:
        'The connector cannot reach its database right now (it may be restarting); nothing was changed by this request unless it said otherwise. Retry shortly.',
      cause,
    });
  }
}

/** Socket errors of a connection attempt or of a connection that broke. */
const SOCKET_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Errors of an established connection's socket (reported with the syscall, without a port). */
const ESTABLISHED_SOCKET_ERROR = new Set(['ECONNRESET', 'EPIPE']);

function isReadOrWrite(error: { syscall?: unknown }): boolean {
  return error.syscall === 'read' || error.syscall === 'write';
}

/**
 * PostgreSQL SQLSTATEs meaning "not now": class 08 (connection exception), 57P01 admin
 * shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up, shutting down),
 * 53300 too many connections.
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

/** Messages node-postgres and pg-pool use for a connection that died or never came. */
const PG_CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
];

interface ErrorShape {
  code?: unknown;
  syscall?: unknown;
  message?: unknown;
  severity?: unknown;
  port?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/**
 * Recognises the errors of an unreachable PostgreSQL at `databaseUrl` (itself, or wrapped by
 * TypeORM in `driverError`, or as a `cause`), so that callers get 503 `database/unavailable`
 * instead of a 500 while the database restarts. A socket error counts only when it names the
 * database's port, so a bank that refuses connections is never reported as the database.
 * Without a URL (SQLite) nothing is translated.
 */
export function databaseUnavailableTranslator(databaseUrl: string | undefined): ErrorTranslator {
  if (!databaseUrl) return () => undefined;
  let port: number;
  try {
    port = Number(new URL(databaseUrl).port || 5432);
  } catch {
    return () => undefined;
  }
  const matches = (error: unknown, depth: number): boolean => {
    if (depth > 5 || typeof error !== 'object' || error === null) return false;
    const e = error as ErrorShape;
    if (typeof e.code === 'string') {
      if (SOCKET_ERROR_CODES.has(e.code) && e.port !== undefined && Number(e.port) === port)
        return true;
      // A pooled connection whose server went away fails its next read or write with a bare
      // socket error (no port). Bank calls never reach here raw (bank-http maps them to
      // BankCallError), so such an error is the database's.
      if (ESTABLISHED_SOCKET_ERROR.has(e.code) && e.port === undefined && isReadOrWrite(e))
        return true;
      if (typeof e.severity === 'string' && UNAVAILABLE_SQLSTATE.test(e.code)) return true;
    }
    if (
      typeof e.message === 'string' &&
      PG_CONNECTION_MESSAGES.some((m) => m.test(e.message as string))
    )
      return true;
    // AggregateError (a connection attempt to several addresses) or wrapped errors.
    if (Array.isArray(e.errors) && e.errors.some((inner) => matches(inner, depth + 1))) return true;
    return matches(e.driverError, depth + 1) || matches(e.cause, depth + 1);
  };
  return (error) => (matches(error, 0) ? new DatabaseUnavailableError(error) : undefined);
}
