import { BankCallDetails, BankCallError } from '@obc/common';

/** The largest bank body echoed back in a problem; bigger bodies are cut (as text). */
export const MAX_BANK_BODY_CHARS = 16 * 1024;

export type BankCallContext = Omit<BankCallDetails, 'status' | 'body'>;

/** The bank body as the caller should see it: parsed JSON or text, never more than 16 KiB. */
export function bankBodyForProblem(parsed: unknown, rawBody: string): unknown {
  if (rawBody.length === 0) return null;
  if (parsed !== undefined && rawBody.length <= MAX_BANK_BODY_CHARS) return parsed;
  return rawBody.length <= MAX_BANK_BODY_CHARS
    ? rawBody
    : `${rawBody.slice(0, MAX_BANK_BODY_CHARS)}…[truncated]`;
}

/**
 * The bank answered with a status we did not expect: its vocabulary becomes ours here. A
 * `Retry-After` the bank sent (429, 503) is passed on to the caller (seconds).
 */
export function errorForStatus(
  status: number,
  ctx: BankCallContext,
  body: unknown,
  retryAfterSeconds?: number,
): BankCallError {
  const bank: BankCallDetails = { ...ctx, status, body };
  const where = `${ctx.method} ${ctx.endpoint}`;
  if (status === 429) {
    return new BankCallError(
      'bank/rate-limited',
      'too-many-requests',
      'The bank is rate limiting calls',
      bank,
      `The bank answered ${where} with 429; retry later` +
        (retryAfterSeconds === undefined ? '.' : ` (it asked for ${retryAfterSeconds} s).`),
      undefined,
      retryAfterSeconds,
    );
  }
  if (status >= 400 && status < 500) {
    return new BankCallError(
      'bank/request-rejected',
      'unprocessable',
      'The bank rejected the request',
      bank,
      `The bank answered ${where} with ${status}; its error body is in \`bank.body\`.`,
    );
  }
  if (status >= 500) {
    return new BankCallError(
      'bank/server-error',
      'bank-failure',
      'The bank failed to process the request',
      bank,
      `The bank answered ${where} with ${status}.`,
      undefined,
      retryAfterSeconds,
    );
  }
  return new BankCallError(
    'bank/unexpected-status',
    'bank-failure',
    'The bank answered with an unexpected status',
    bank,
    `The bank answered ${where} with ${status}, which this call does not expect.`,
  );
}

export function invalidResponseError(
  status: number,
  ctx: BankCallContext,
  rawBody: string,
  cause: unknown,
): BankCallError {
  return new BankCallError(
    'bank/invalid-response',
    'bank-failure',
    'The bank sent a response that cannot be read',
    { ...ctx, status, body: bankBodyForProblem(undefined, rawBody) },
    `The bank answered ${ctx.method} ${ctx.endpoint} with a JSON content type but a body that is not JSON.`,
    cause,
  );
}

/** The bank's body ran past the most the connector reads (BankHttpSettings.maxResponseBytes). */
export function responseTooLargeError(
  status: number,
  ctx: BankCallContext,
  limitBytes: number,
  cause: unknown,
): BankCallError {
  return new BankCallError(
    'bank/invalid-response',
    'bank-failure',
    'The bank sent a response that cannot be read',
    { ...ctx, status, body: null },
    `The bank's answer to ${ctx.method} ${ctx.endpoint} (status ${status}) is larger than the ${limitBytes} bytes the connector reads; it was not read further.`,
    cause,
  );
}

export function timeoutError(
  ctx: BankCallContext,
  timeoutMs: number,
  cause: unknown,
): BankCallError {
  return new BankCallError(
    'bank/timeout',
    'bank-timeout',
    'The bank did not answer in time',
    { ...ctx, status: null, body: null },
    `No answer from the bank to ${ctx.method} ${ctx.endpoint} within ${timeoutMs} ms.`,
    cause,
  );
}

/** The bank sent the status and headers, then the connection ended before the whole body. */
export function incompleteResponseError(
  status: number,
  ctx: BankCallContext,
  cause: unknown,
): BankCallError {
  return new BankCallError(
    'bank/incomplete-response',
    'bank-failure',
    'The bank closed the connection before the whole response arrived',
    { ...ctx, status, body: null },
    `The bank's answer to ${ctx.method} ${ctx.endpoint} (status ${status}) was cut off before its declared end.`,
    cause,
  );
}

/** Fail fast: this bank's circuit is open after repeated failures (see CircuitBreaker). */
export function circuitOpenError(
  ctx: BankCallContext,
  profileId: string,
  retryAfterMs: number,
): BankCallError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new BankCallError(
    'bank/circuit-open',
    'unavailable',
    'Calls to this bank are paused after repeated failures',
    { ...ctx, status: null, body: null },
    `Bank profile '${profileId}' failed repeatedly (5xx, timeouts or broken connections), so ${ctx.method} ${ctx.endpoint} was not sent; calls resume on trial in about ${seconds} s.`,
    undefined,
    seconds,
  );
}

/** No slot to call this bank: too many calls in flight and waiting (see ConcurrencyLimiter). */
export function noSlotError(
  ctx: BankCallContext,
  profileId: string,
  reason: 'queue-full' | 'queue-timeout',
  waitedMs: number,
): BankCallError {
  return new BankCallError(
    `bank/${reason}`,
    'unavailable',
    'Too many calls to this bank at once',
    { ...ctx, status: null, body: null },
    reason === 'queue-full'
      ? `Bank profile '${profileId}' has the most calls in flight and waiting that its policy allows; ${ctx.method} ${ctx.endpoint} was not sent.`
      : `No free slot to call bank profile '${profileId}' within ${waitedMs} ms; ${ctx.method} ${ctx.endpoint} was not sent.`,
    undefined,
    1,
  );
}

const RESET_CODE = /^(ECONNRESET|EPIPE|ERR_STREAM_PREMATURE_CLOSE)$/;

const TLS_CODE =
  /CERT|SSL|TLS|EPROTO|ERR_OSSL|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|HOSTNAME_MISMATCH|INVALID_PURPOSE|CHAIN_TOO_LONG|PATH_LENGTH_EXCEEDED/;

/** A failure where the connection itself broke: TLS trust/handshake, or nothing listening. */
export function transportError(
  ctx: BankCallContext,
  codes: readonly string[],
  cause: unknown,
): BankCallError {
  const bank: BankCallDetails = { ...ctx, status: null, body: null };
  const tlsCode = codes.find((c) => TLS_CODE.test(c));
  if (tlsCode) {
    return new BankCallError(
      'bank/tls-failure',
      'bank-failure',
      'The TLS connection to the bank failed',
      bank,
      `TLS with the bank failed for ${ctx.method} ${ctx.endpoint} (${tlsCode}); check the bank's trust bundle and the transport certificate.`,
      cause,
    );
  }
  const code = codes[0] ?? 'unknown';
  const reset = codes.find((c) => RESET_CODE.test(c));
  if (reset) {
    return new BankCallError(
      'bank/connection-reset',
      'bank-failure',
      'The bank closed the connection without answering',
      bank,
      `The connection to the bank was reset during ${ctx.method} ${ctx.endpoint} (${reset}); the bank may or may not have processed it.`,
      cause,
    );
  }
  return new BankCallError(
    'bank/unreachable',
    'bank-failure',
    'The bank could not be reached',
    bank,
    `No answer from the bank to ${ctx.method} ${ctx.endpoint} (${code}).`,
    cause,
  );
}
