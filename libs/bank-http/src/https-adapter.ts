import { request as httpsRequest, type Agent } from 'node:https';
import type { IncomingMessage } from 'node:http';
import {
  AxiosError,
  type AxiosAdapter,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';

/** The AxiosError code of a response cut off at `maxContentLength`. */
export const RESPONSE_TOO_LARGE = 'ERR_RESPONSE_TOO_LARGE';

/** Sent on every bank call unless the caller names another (no client library version leaks). */
export const BANK_USER_AGENT = 'uk-open-banking-connector';

/**
 * The axios adapter for bank calls: one `https.request` on the call's mTLS agent, the response
 * collected as a Buffer. It does what bank calls need and nothing else: no redirects (a bank
 * redirect is an error to surface), no proxy (it would break mTLS), no decompression (no
 * Accept-Encoding is sent, so a bank answers identity and no compressed body can expand past
 * what was received), no progress events and no stream transforms. That keeps the per-call cost
 * of the client low on the read path (see docs/performance.md), where axios' general adapter
 * spends more than the request itself.
 *
 * Failures keep axios' shape, which BankHttpClient maps: a broken connection rejects with the
 * socket or TLS error as `cause` (and its `code`); a response cut off after its status rejects
 * with that status in `response`; an abort rejects with ERR_CANCELED; the socket idle timeout
 * (`timeout`) with ECONNABORTED; a body beyond `maxContentLength` (when positive) is not read
 * further and rejects with RESPONSE_TOO_LARGE, its status in `response`.
 */
export const bankHttpsAdapter: AxiosAdapter = (config) =>
  new Promise<AxiosResponse>((resolve, reject) => {
    const url = new URL(config.url ?? '', config.baseURL);
    if (url.protocol !== 'https:') {
      reject(new AxiosError(`bank calls use https, not ${url.protocol}`, 'ERR_BAD_OPTION', config));
      return;
    }
    const headers = outgoingHeaders(config);
    const body = bodyOf(config.data);
    if (body !== undefined) headers['content-length'] = String(body.length);
    const method = (config.method ?? 'get').toUpperCase();
    let settled = false;
    const fail = (error: AxiosError): void => {
      if (settled) return;
      settled = true;
      config.signal?.removeEventListener?.('abort', onAbort);
      reject(error);
    };
    const req = httpsRequest(url, {
      method,
      headers,
      agent: config.httpsAgent as Agent | undefined,
    });
    const onAbort = (): void => {
      fail(new AxiosError('canceled', AxiosError.ERR_CANCELED, config, req));
      req.destroy();
    };
    if (config.signal?.aborted) {
      onAbort();
      return;
    }
    config.signal?.addEventListener?.('abort', onAbort);
    if (config.timeout) {
      req.setTimeout(config.timeout, () => {
        fail(
          new AxiosError(
            `timeout of ${config.timeout} ms exceeded`,
            AxiosError.ECONNABORTED,
            config,
            req,
          ),
        );
        req.destroy();
      });
    }
    /** Set once the status has arrived: a failure from then on is a response cut short. */
    let cutShort: ((cause?: Error & { code?: string }) => void) | undefined;
    req.on('error', (cause: Error & { code?: string }) => {
      if (cutShort) return cutShort(cause);
      const error = new AxiosError(cause.message, cause.code, config, req);
      error.cause = cause;
      fail(error);
    });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      // Node's own header object (lower-case names), not an AxiosHeaders copy of it: the caller
      // reads a few headers once, and building the copy cost more than the rest of the exchange.
      const response = (data: Buffer): AxiosResponse => ({
        status: res.statusCode ?? 0,
        statusText: res.statusMessage ?? '',
        headers: res.headers,
        config,
        request: req,
        data,
      });
      const limit = config.maxContentLength ?? -1;
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (limit > 0 && received > limit) {
          fail(
            new AxiosError(
              `the response is larger than ${limit} bytes`,
              RESPONSE_TOO_LARGE,
              config,
              req,
              response(Buffer.alloc(0)),
            ),
          );
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        config.signal?.removeEventListener?.('abort', onAbort);
        resolve(response(Buffer.concat(chunks)));
      });
      // The connection ended before the body did (a declared length not reached, a reset).
      const cut = (cause?: Error & { code?: string }): void => {
        const error = new AxiosError(
          'the response ended before its declared end',
          cause?.code ?? 'ERR_BAD_RESPONSE',
          config,
          req,
          response(Buffer.concat(chunks)),
        );
        if (cause) error.cause = cause;
        fail(error);
      };
      cutShort = cut;
      res.on('error', cut);
      res.on('aborted', () => cut());
      res.on('close', () => {
        if (!res.complete) cut();
      });
    });
    req.end(body);
  });

function outgoingHeaders(config: InternalAxiosRequestConfig): Record<string, string> {
  const out: Record<string, string> = {};
  // axios hands the adapter an AxiosHeaders whose own properties are the headers.
  const given = (config.headers ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    const value = given[name];
    if (value === undefined || value === null || value === false) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  out['user-agent'] ??= BANK_USER_AGENT;
  return out;
}

function bodyOf(data: unknown): Buffer | undefined {
  if (data === undefined || data === null) return undefined;
  if (Buffer.isBuffer(data)) return data;
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  throw new AxiosError('bank call bodies are serialised before the adapter', 'ERR_BAD_OPTION');
}
