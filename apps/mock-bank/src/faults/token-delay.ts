import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Ledger } from '../admin/ledger';

export const DELAYABLE_GRANT_TYPES = [
  'refresh_token',
  'authorization_code',
  'client_credentials',
] as const;
export type DelayableGrantType = (typeof DELAYABLE_GRANT_TYPES)[number];

/** The longest delay the fault accepts (a test that needs more is waiting for the wrong thing). */
export const MAX_TOKEN_DELAY_MS = 120_000;

export const TOKEN_DELAY_PHASES = ['before-grant', 'after-grant'] as const;
export type TokenDelayPhase = (typeof TOKEN_DELAY_PHASES)[number];

export interface TokenDelaySettings {
  grantType: DelayableGrantType;
  ms: number;
  /**
   * before-grant (default): held before the authorisation server sees the request, dropped
   * unprocessed if the client leaves. after-grant: the grant is processed (a refresh token
   * rotated) and only the answer is held, lost if the client leaves.
   */
  phase: TokenDelayPhase;
  /** true (default): only the next matching token request is delayed. */
  once: boolean;
}

export class TokenDelayValidationError extends Error {}

/**
 * Holds token requests of one grant type for a while, so a test can kill the client while its
 * request is in flight. `before-grant`: held before the authorisation server looks at it; if
 * the client hangs up meanwhile it is dropped unprocessed (`token.abandoned`): the bank never
 * saw the grant, so a refresh token is not rotated. `after-grant`: the grant is processed
 * (`token.granted`, a refresh token rotated) and the answer held; if the client hangs up it is
 * lost (`token.answer-lost`). `token.delayed` tells the test the request is being held.
 */
export class TokenDelay {
  private settings: TokenDelaySettings | undefined;

  constructor(private readonly ledger: Ledger) {}

  set(input: unknown): TokenDelaySettings {
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new TokenDelayValidationError('the body must be a JSON object');
    const body = input as Record<string, unknown>;
    const unknown = Object.keys(body).filter(
      (k) => !['grantType', 'ms', 'once', 'phase'].includes(k),
    );
    if (unknown.length)
      throw new TokenDelayValidationError(`unknown members: ${unknown.join(', ')}`);
    const grantType = body.grantType ?? 'refresh_token';
    if (
      typeof grantType !== 'string' ||
      !(DELAYABLE_GRANT_TYPES as readonly string[]).includes(grantType)
    )
      throw new TokenDelayValidationError(
        `grantType must be one of ${DELAYABLE_GRANT_TYPES.join(', ')}`,
      );
    if (
      typeof body.ms !== 'number' ||
      !Number.isInteger(body.ms) ||
      body.ms < 1 ||
      body.ms > MAX_TOKEN_DELAY_MS
    )
      throw new TokenDelayValidationError(`ms must be an integer from 1 to ${MAX_TOKEN_DELAY_MS}`);
    if (body.once !== undefined && typeof body.once !== 'boolean')
      throw new TokenDelayValidationError('once must be a boolean');
    const phase = body.phase ?? 'before-grant';
    if (typeof phase !== 'string' || !(TOKEN_DELAY_PHASES as readonly string[]).includes(phase))
      throw new TokenDelayValidationError(`phase must be one of ${TOKEN_DELAY_PHASES.join(', ')}`);
    this.settings = {
      grantType: grantType as DelayableGrantType,
      ms: body.ms,
      phase: phase as TokenDelayPhase,
      once: body.once !== false,
    };
    return { ...this.settings };
  }

  reset(): void {
    this.settings = undefined;
  }

  current(): TokenDelaySettings | null {
    return this.settings ? { ...this.settings } : null;
  }

  /**
   * Express middleware for POST /token, mounted before oidc-provider. Only when a delay is set
   * does it read the form body (to see the grant type); it then hands the raw body on as
   * `req.body`, which oidc-provider parses itself.
   */
  middleware(): (req: Request, res: Response, next: NextFunction) => void {
    return (req, res, next) => {
      if (!this.settings) return next();
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('error', next);
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        (req as { body?: unknown }).body = raw;
        const settings = this.settings;
        const grantType = new URLSearchParams(raw).get('grant_type');
        if (!settings || grantType !== settings.grantType) return next();
        if (settings.once) this.settings = undefined;
        if (settings.phase === 'after-grant') {
          this.holdAnswer(res, settings.ms, grantType);
          return next();
        }
        this.ledger.record({ type: 'token.delayed', grantType });
        void this.hold(res, settings.ms).then((clientGone) => {
          if (!clientGone) return next();
          this.ledger.record({ type: 'token.abandoned', grantType });
        });
      });
    };
  }

  /** Lets the grant run, then holds its answer (res.end) for `ms`; lost if the client leaves. */
  private holdAnswer(res: Response, ms: number, grantType: string): void {
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    (res as { end: unknown }).end = (...args: unknown[]) => {
      this.ledger.record({ type: 'token.delayed', grantType });
      void this.hold(res, ms).then((clientGone) => {
        if (clientGone) this.ledger.record({ type: 'token.answer-lost', grantType });
        else end(...args);
      });
      return res;
    };
  }

  /** Waits `ms`; resolves true early if the client's connection closes meanwhile. */
  private hold(res: Response, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const onClose = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        res.off('close', onClose);
        resolve(res.socket?.destroyed ?? true);
      }, ms);
      res.once('close', onClose);
    });
  }
}

/** POST /faults/token-delay, POST /faults/token-delay/reset, GET /faults/token-delay. */
export function tokenDelayRouter(delay: TokenDelay): Router {
  const router = Router();
  router.use('/faults/token-delay', express.json());
  router.post('/faults/token-delay', (req, res) => {
    try {
      res.json(delay.set(req.body));
    } catch (err) {
      if (!(err instanceof TokenDelayValidationError)) throw err;
      res.status(400).json({ error: 'invalid_request', error_description: err.message });
    }
  });
  router.post('/faults/token-delay/reset', (_req, res) => {
    delay.reset();
    res.status(204).end();
  });
  router.get('/faults/token-delay', (_req, res) => {
    res.json({ delay: delay.current() });
  });
  return router;
}
