import { Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import axios, { AxiosInstance, AxiosResponse, isAxiosError } from 'axios';
import { BankCallError, RandomSource, redactUrl } from '@obc/common';
import {
  BankCallContext,
  bankBodyForProblem,
  errorForStatus,
  invalidResponseError,
  timeoutError,
  transportError,
} from './bank-call-error.mapper';
import { BankRequest, BankResponse } from './bank-http.types';
import { BankHttpSettings, DEFAULT_BANK_HTTP_SETTINGS } from './bank-http.settings';
import { BankHttpMetrics, NoopBankHttpMetrics, statusClassOf } from './bank-http.metrics';
import { serializeBankBody } from './body-serializer';
import { TlsAgentCache } from './tls-agent.cache';

export const INTERACTION_ID_HEADER = 'x-fapi-interaction-id';
export const FINANCIAL_ID_HEADER = 'x-fapi-financial-id';

/**
 * The one outbound HTTP layer (STYLE 4): every bank call goes through `request`, which picks the
 * mTLS agent for the call's transport identity, adds the FAPI headers, enforces a deadline and
 * turns every failure into a BankCallError. It never follows redirects: a bank redirect on an
 * API call is an error to surface, not a hop to take with our credentials.
 */
@Injectable()
export class BankHttpClient implements OnModuleDestroy {
  private readonly logger = new Logger(BankHttpClient.name);
  private readonly http: AxiosInstance;
  private readonly settings: BankHttpSettings;
  readonly agents: TlsAgentCache;
  private readonly metrics: BankHttpMetrics;

  constructor(
    private readonly random: RandomSource,
    @Optional() settings?: BankHttpSettings,
    @Optional() agents?: TlsAgentCache,
    @Optional() metrics?: BankHttpMetrics,
  ) {
    this.metrics = metrics ?? new NoopBankHttpMetrics();
    this.settings = settings ?? DEFAULT_BANK_HTTP_SETTINGS;
    this.agents = agents ?? new TlsAgentCache();
    this.http = axios.create({
      maxRedirects: 0,
      // Proxies from the environment would break mTLS (the agent's client cert never reaches the bank).
      proxy: false,
      responseType: 'arraybuffer',
      validateStatus: () => true,
      transformRequest: [(data: unknown) => data],
      transformResponse: [(data: unknown) => data],
    });
  }

  async request<T = unknown>(req: BankRequest): Promise<BankResponse<T>> {
    const interactionId = req.interactionId ?? this.random.uuid();
    const ctx: BankCallContext = { endpoint: pathOf(req.url), method: req.method, interactionId };
    const timeoutMs = req.timeoutMs ?? this.settings.timeoutMs;
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...lowerCaseKeys(req.headers ?? {}),
    };
    headers[INTERACTION_ID_HEADER] = interactionId;
    if (req.financialId) headers[FINANCIAL_ID_HEADER] = req.financialId;

    let sentBody: string | Buffer | undefined;
    if (req.body !== undefined) {
      const serialized = serializeBankBody(req.body);
      sentBody = serialized.bytes;
      if (serialized.json && !headers['content-type']) headers['content-type'] = 'application/json';
    }

    const extraCas = [this.settings.caBundlePem ?? '', req.trustedCaPem ?? ''];
    const agent = this.agents.agentFor(req.transport, extraCas);
    const started = Date.now();
    // axios' own timeout is a socket idle timer; the abort signal makes it a real deadline.
    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort();
    }, timeoutMs);

    let res: AxiosResponse<ArrayBuffer>;
    try {
      res = await this.http.request<ArrayBuffer>({
        url: req.url,
        method: req.method,
        headers,
        data: sentBody,
        httpsAgent: agent,
        timeout: timeoutMs,
        signal: deadline.signal,
      });
    } catch (e: unknown) {
      const error =
        timedOut || isTimeout(e)
          ? timeoutError(ctx, timeoutMs, e)
          : transportError(ctx, errorCodes(e), e);
      this.logCall(req, ctx, null, started, error);
      throw error;
    } finally {
      clearTimeout(timer);
    }

    const rawBody = Buffer.from(res.data ?? new ArrayBuffer(0)).toString('utf8');
    const responseHeaders = flattenHeaders(res.headers as Record<string, unknown>);
    const json = isJsonContentType(responseHeaders['content-type']);
    let parsed: unknown = undefined;
    let parseError: unknown = undefined;
    if (json && rawBody.trim().length > 0) {
      try {
        parsed = JSON.parse(rawBody);
      } catch (e: unknown) {
        parseError = e;
      }
    }

    const expected = req.expectStatus
      ? req.expectStatus.includes(res.status)
      : res.status >= 200 && res.status < 300;
    if (!expected) {
      const error = errorForStatus(res.status, ctx, bankBodyForProblem(parsed, rawBody));
      this.logCall(req, ctx, res.status, started, error);
      throw error;
    }
    if (parseError !== undefined) {
      const error = invalidResponseError(res.status, ctx, rawBody, parseError);
      this.logCall(req, ctx, res.status, started, error);
      throw error;
    }
    this.logCall(req, ctx, res.status, started);
    const data = (json ? (parsed ?? null) : rawBody) as T;
    return { status: res.status, headers: responseHeaders, data, rawBody, interactionId, sentBody };
  }

  onModuleDestroy(): void {
    this.agents.close();
  }

  /** Identifiers and timings only: never headers or bodies (they carry tokens and personal data). */
  private logCall(
    req: BankRequest,
    ctx: BankCallContext,
    status: number | null,
    started: number,
    error?: BankCallError,
  ): void {
    const durationMs = Date.now() - started;
    const line =
      `bank call profile=${req.profileId} endpoint=${req.endpoint} ${req.method} ${redactUrl(ctx.endpoint)} ` +
      `status=${status ?? '-'} ms=${durationMs} interactionId=${ctx.interactionId}` +
      (error ? ` error=${error.code}` : '');
    if (error) this.logger.warn(line);
    else this.logger.debug(line);
    try {
      this.metrics.observeCall({
        profileId: req.profileId,
        endpoint: req.endpoint,
        method: req.method,
        status,
        statusClass: statusClassOf(status),
        durationMs,
        errorCode: error?.code,
      });
    } catch {
      // Metrics must never fail a bank call.
    }
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return redactUrl(url);
  }
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

function flattenHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || v === null) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.map(String).join(', ') : String(v);
  }
  return out;
}

/** JSON and `+json` media types; `application/jwt` and `application/jose` stay text. */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const media = contentType.split(';')[0].trim().toLowerCase();
  return media === 'application/json' || media.endsWith('+json');
}

function isTimeout(e: unknown): boolean {
  return isAxiosError(e) && (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT');
}

/** The error codes along the cause chain (axios wraps the socket/TLS error). */
function errorCodes(e: unknown): string[] {
  const codes: string[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 5 && typeof cur === 'object' && cur !== null; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    cur = (cur as { cause?: unknown }).cause;
  }
  return codes;
}
