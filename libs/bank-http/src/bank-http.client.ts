import { Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import axios, {
  AxiosInstance,
  AxiosResponse,
  InternalAxiosRequestConfig,
  isAxiosError,
} from 'axios';
import { BankCallError, Clock, RandomSource, redactUrl, SystemClock } from '@obc/common';
import {
  BankCallContext,
  bankBodyForProblem,
  circuitOpenError,
  errorForStatus,
  incompleteResponseError,
  invalidResponseError,
  responseTooLargeError,
  noSlotError,
  timeoutError,
  transportError,
} from './bank-call-error.mapper';
import {
  backoffDelayMs,
  BankCallPolicy,
  BankCallPolicySource,
  callTypeOf,
  defaultBankCallPolicy,
  isRepeatable,
  NO_POLICY_OVERRIDES,
  resolveBankCallPolicy,
  retryAfterMs,
} from './policy/bank-call-policy';
import { CircuitBreaker, CircuitState } from './policy/circuit-breaker';
import { ConcurrencyLimiter, SlotUnavailable } from './policy/concurrency-limiter';
import { Sleeper, TimerSleeper } from './policy/sleeper';
import { BankRequest, BankResponse } from './bank-http.types';
import {
  BankHttpSettings,
  DEFAULT_BANK_HTTP_SETTINGS,
  MAX_BANK_RESPONSE_BYTES,
} from './bank-http.settings';
import { BankHttpMetrics, NoopBankHttpMetrics, statusClassOf } from './bank-http.metrics';
import { serializeBankBody } from './body-serializer';
import { TlsAgentCache } from './tls-agent.cache';
import { bankHttpsAdapter, RESPONSE_TOO_LARGE } from './https-adapter';

export const INTERACTION_ID_HEADER = 'x-fapi-interaction-id';
export const FINANCIAL_ID_HEADER = 'x-fapi-financial-id';

/**
 * The one outbound HTTP layer (STYLE 4): every bank call goes through `request`, which picks the
 * mTLS agent for the call's transport identity, adds the FAPI headers, enforces a deadline and
 * turns every failure into a BankCallError. It applies the bank's call policy (timeouts per call
 * type, retries of calls that are safe to repeat, Retry-After, a circuit breaker and a
 * concurrency limit per bank profile; see policy/). It never follows redirects: a bank redirect on an
 * API call is an error to surface, not a hop to take with our credentials.
 */
@Injectable()
export class BankHttpClient implements OnModuleDestroy {
  private readonly logger = new Logger(BankHttpClient.name);
  private readonly http: AxiosInstance;
  private readonly settings: BankHttpSettings;
  readonly agents: TlsAgentCache;
  private readonly metrics: BankHttpMetrics;
  private readonly policies: BankCallPolicySource;
  private readonly clock: Clock;
  private readonly sleeper: Sleeper;
  /** Circuit and concurrency state per bank profile id (one bank's trouble stays its own). */
  private readonly banks = new Map<string, BankState>();

  constructor(
    private readonly random: RandomSource,
    @Optional() settings?: BankHttpSettings,
    @Optional() agents?: TlsAgentCache,
    @Optional() metrics?: BankHttpMetrics,
    @Optional() policies?: BankCallPolicySource,
    @Optional() clock?: Clock,
    @Optional() sleeper?: Sleeper,
  ) {
    this.policies = policies ?? NO_POLICY_OVERRIDES;
    this.clock = clock ?? new SystemClock();
    this.sleeper = sleeper ?? new TimerSleeper();
    this.metrics = metrics ?? new NoopBankHttpMetrics();
    this.settings = settings ?? DEFAULT_BANK_HTTP_SETTINGS;
    this.agents = agents ?? new TlsAgentCache();
    this.http = axios.create({
      adapter: bankHttpsAdapter,
      maxContentLength: this.settings.maxResponseBytes ?? MAX_BANK_RESPONSE_BYTES,
      maxRedirects: 0,
      // Proxies from the environment would break mTLS (the agent's client cert never reaches the bank).
      proxy: false,
      validateStatus: () => true,
      // Bodies are serialised before the call and parsed after it (serializeBankBody, below).
      transformRequest: [],
      transformResponse: [],
    });
    // axios merges its instance defaults into every request's config. The ones for browsers
    // (XSRF), form serialisation (env), legacy behaviour switches (transitional) and default
    // headers (every call sets its own `accept`) do not apply to a bank call; without them the
    // merge costs half as much, on every read (docs/performance.md).
    const defaults = this.http.defaults as Partial<typeof this.http.defaults>;
    defaults.headers = {} as typeof this.http.defaults.headers;
    delete defaults.transitional;
    delete defaults.env;
    delete defaults.xsrfCookieName;
    delete defaults.xsrfHeaderName;
  }

  async request<T = unknown>(req: BankRequest): Promise<BankResponse<T>> {
    const interactionId = req.interactionId ?? this.random.uuid();
    const ctx: BankCallContext = { endpoint: pathOf(req.url), method: req.method, interactionId };
    const policy = this.policyFor(req.profileId);
    const callType = callTypeOf(req.endpoint, req.method);
    const timeoutMs = req.timeoutMs ?? policy.timeouts[callType];
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

    // The same headers and bytes on every attempt: a retried payment carries the same key and body.
    const maxAttempts = isRepeatable(req.method, callType, headers) ? policy.retry.maxAttempts : 1;
    const bank = this.bankFor(req.profileId, policy);
    let lastError: BankCallError | undefined;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.guardedAttempt<T>(bank, req, ctx, headers, sentBody, timeoutMs);
      if (!(outcome instanceof BankCallError)) return outcome;
      const error = outcome;
      // A retry not sent (the circuit opened on our own failures, or no slot): the bank's own
      // error from the attempt before says more.
      if (NOT_SENT.includes(error.code) && lastError) throw lastError;
      lastError = error;
      const delayMs = this.retryDelayMs(error, attempt, maxAttempts, policy);
      if (delayMs === undefined) throw error;
      this.logger.warn(
        `bank call profile=${req.profileId} endpoint=${req.endpoint} attempt=${attempt} failed (${error.code}); retrying in ${delayMs} ms`,
      );
      try {
        this.metrics.observeRetry({
          profileId: req.profileId,
          endpoint: req.endpoint,
          errorCode: error.code,
          attempt: attempt + 1,
          delayMs,
        });
      } catch {
        // Metrics must never fail a bank call.
      }
      await this.sleeper.sleep(delayMs);
    }
  }

  /**
   * One attempt through this bank's circuit breaker and concurrency limit. Returns the response,
   * or the BankCallError of the attempt (so the caller decides whether to retry).
   */
  private async guardedAttempt<T>(
    bank: BankState,
    req: BankRequest,
    ctx: BankCallContext,
    headers: Record<string, string>,
    sentBody: string | Buffer | undefined,
    timeoutMs: number,
  ): Promise<BankResponse<T> | BankCallError> {
    const refused = (retryAfterMs: number): BankCallError => {
      const error = circuitOpenError(ctx, req.profileId, retryAfterMs);
      this.logNotSent(req, ctx, error);
      return error;
    };
    const gate = bank.circuit.peek();
    if (!gate.admitted) return refused(gate.retryAfterMs);
    let release: () => void;
    try {
      release = await bank.limiter.acquire();
    } catch (e: unknown) {
      if (!(e instanceof SlotUnavailable)) throw e;
      const error = noSlotError(ctx, req.profileId, e.reason, e.waitedMs);
      this.logNotSent(req, ctx, error);
      return error;
    }
    try {
      const admission = bank.circuit.admit();
      if (!admission.admitted) return refused(admission.retryAfterMs);
      try {
        const response = await this.attempt<T>(req, ctx, headers, sentBody, timeoutMs);
        bank.circuit.success();
        return response;
      } catch (e: unknown) {
        if (!(e instanceof BankCallError)) {
          bank.circuit.abandon(admission.probe);
          throw e;
        }
        if (isBankDown(e)) bank.circuit.failure();
        else bank.circuit.success(); // it answered: a 4xx or an odd body is not an outage
        return e;
      }
    } finally {
      release();
    }
  }

  /** How long to wait before the next attempt, or undefined to give up with this error. */
  private retryDelayMs(
    error: BankCallError,
    attempt: number,
    maxAttempts: number,
    policy: BankCallPolicy,
  ): number | undefined {
    if (attempt >= maxAttempts || !isTransient(error)) return undefined;
    const retryAfter = error.retryAfterSeconds;
    if (retryAfter !== undefined) {
      return retryAfter <= policy.retry.maxRetryAfterSeconds ? retryAfter * 1000 : undefined;
    }
    const fraction = this.random.fraction?.() ?? randomInt(2 ** 47) / 2 ** 47;
    return backoffDelayMs(attempt, policy.retry, fraction);
  }

  private policyFor(profileId: string): BankCallPolicy {
    const defaults = this.settings.policy ?? defaultBankCallPolicy(this.settings.timeoutMs);
    let overrides;
    try {
      overrides = this.policies.overridesFor(profileId);
    } catch {
      overrides = undefined; // an unknown profile fails where it is looked up, not here
    }
    return resolveBankCallPolicy(defaults, overrides);
  }

  private bankFor(profileId: string, policy: BankCallPolicy): BankState {
    let state = this.banks.get(profileId);
    if (!state) {
      state = {
        circuit: new CircuitBreaker(this.clock, policy.circuitBreaker, (s) => {
          this.logger.warn(`bank circuit profile=${profileId} state=${s}`);
          try {
            this.metrics.observeCircuitState(profileId, s);
          } catch {
            // Metrics must never fail a bank call.
          }
        }),
        limiter: new ConcurrencyLimiter(policy.concurrency),
      };
      this.banks.set(profileId, state);
    } else {
      state.circuit.configure(policy.circuitBreaker);
      state.limiter.configure(policy.concurrency);
    }
    return state;
  }

  /** The circuit state of one bank (closed when it was never called). */
  circuitState(profileId: string): CircuitState {
    return this.banks.get(profileId)?.circuit.current ?? 'closed';
  }

  /** One HTTP exchange with the bank, every failure a BankCallError. */
  private async attempt<T>(
    req: BankRequest,
    ctx: BankCallContext,
    headers: Record<string, string>,
    sentBody: string | Buffer | undefined,
    timeoutMs: number,
  ): Promise<BankResponse<T>> {
    const interactionId = ctx.interactionId;
    const extraCas = [this.settings.caBundlePem ?? '', req.trustedCaPem ?? ''];
    const agent = this.agents.agentFor(req.transport, extraCas);
    const started = Date.now();
    // One deadline for the whole exchange (connect, TLS, request, every byte of the answer):
    // the abort signal. axios' own `timeout` would only add a socket idle timer under it.
    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort();
    }, timeoutMs);

    let res: AxiosResponse<Buffer>;
    try {
      const config = {
        url: req.url,
        method: req.method,
        headers: { ...headers },
        data: sentBody,
        httpsAgent: agent,
        signal: deadline.signal,
      };
      // A GET (a read: the hot path, and nothing to serialise) goes straight to the adapter
      // with the same config, and fails with the same AxiosErrors. axios' request pipeline
      // (config merge, header objects, promise chain) cost a fifth of a warm AISP read's CPU
      // in the bench (docs/performance.md), and this client uses none of what it adds: no
      // interceptors, no transforms, no status validation. Everything else goes through axios.
      res =
        req.method === 'GET'
          ? ((await bankHttpsAdapter({
              ...config,
              maxContentLength: this.http.defaults.maxContentLength,
              // The adapter reads headers as own properties: a plain object serves as AxiosHeaders would.
            } as unknown as InternalAxiosRequestConfig)) as AxiosResponse<Buffer>)
          : await this.http.request<Buffer>(config);
    } catch (e: unknown) {
      const answered = isAxiosError(e) ? e.response?.status : undefined;
      const error =
        isAxiosError(e) && e.code === RESPONSE_TOO_LARGE && answered !== undefined
          ? responseTooLargeError(answered, ctx, this.http.defaults.maxContentLength ?? 0, e)
          : timedOut || isTimeout(e)
            ? timeoutError(ctx, timeoutMs, e)
            : answered !== undefined
              ? incompleteResponseError(answered, ctx, e)
              : transportError(ctx, errorCodes(e), e);
      this.logCall(req, ctx, answered ?? null, started, error);
      throw error;
    } finally {
      clearTimeout(timer);
    }

    const rawBody = res.data.toString('utf8');
    const responseHeaders = flattenHeaders(res.headers as Record<string, unknown>);
    const json = isJsonContentType(responseHeaders['content-type']);
    let parsed: unknown = undefined;
    let parseError: unknown = undefined;
    // Any non-blank character (found at once: no trimmed copy of the whole body).
    if (json && NON_BLANK.test(rawBody)) {
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
      const waitMs = retryAfterMs(responseHeaders['retry-after'], this.clock.nowMs());
      const error = errorForStatus(
        res.status,
        ctx,
        bankBodyForProblem(parsed, rawBody),
        waitMs === undefined ? undefined : Math.ceil(waitMs / 1000),
      );
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

  /**
   * A call refused before it was sent (open circuit, no slot): logged, but not a bank request in
   * the metrics (nor a TPP-reporting "no response"); the circuit gauge and retries say why.
   */
  private logNotSent(req: BankRequest, ctx: BankCallContext, error: BankCallError): void {
    this.logger.warn(
      `bank call profile=${req.profileId} endpoint=${req.endpoint} ${req.method} ${redactUrl(ctx.endpoint)} ` +
        `not sent interactionId=${ctx.interactionId} error=${error.code}`,
    );
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
    if (error || this.settings.logSuccessfulCalls !== false)
      this.logLine(req, ctx, status, durationMs, error);
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

  private logLine(
    req: BankRequest,
    ctx: BankCallContext,
    status: number | null,
    durationMs: number,
    error?: BankCallError,
  ): void {
    const line =
      `bank call profile=${req.profileId} endpoint=${req.endpoint} ${req.method} ${redactUrl(ctx.endpoint)} ` +
      `status=${status ?? '-'} ms=${durationMs} interactionId=${ctx.interactionId}` +
      (error ? ` error=${error.code}` : '');
    if (error) this.logger.warn(line);
    else this.logger.debug(line);
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

interface BankState {
  circuit: CircuitBreaker;
  limiter: ConcurrencyLimiter;
}

const NON_BLANK = /\S/;

/** Refused before reaching the bank. */
const NOT_SENT = ['bank/circuit-open', 'bank/queue-full', 'bank/queue-timeout'];

const BROKEN_CONNECTION = [
  'bank/timeout',
  'bank/unreachable',
  'bank/connection-reset',
  'bank/incomplete-response',
];

/** What says the bank is down (for the circuit breaker): 5xx, timeouts, broken connections. */
export function isBankDown(error: BankCallError): boolean {
  if (BROKEN_CONNECTION.includes(error.code)) return true;
  return error.code === 'bank/server-error';
}

/** What may succeed when tried again: the above (except 501), and 429. */
export function isTransient(error: BankCallError): boolean {
  if (error.code === 'bank/rate-limited') return true;
  if (error.code === 'bank/server-error') return error.bank?.status !== 501;
  return BROKEN_CONNECTION.includes(error.code);
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
