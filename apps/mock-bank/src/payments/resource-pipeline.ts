import { randomUUID } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { OB_ERROR_CODE, sendObError } from '../ais/ob-error';
import type { ConsentStore } from '../consents/consent-store';
import type { SpecValidator } from '../spec-validation/spec-validator';
import { JwsSignatureError, verifyDetachedJws, type SigningClient } from './jws-signature';
import { PaymentStore } from './payment-store';
import type { ResponseSigner } from './response-signer';
import { JWS_VERIFIED_UPSTREAM } from '../v3-1-11/jws-verified';

/** The shape of VerifiedAccessToken (oidc/access-token-verifier.ts), injected for testability. */
export interface ResourceAccessToken {
  clientId: string;
  scopes: string[];
  grantType: 'client_credentials' | 'authorization_code';
  consentId?: string;
  expiresAt: number;
}

export interface PaymentLedgerEvent {
  type:
    | 'payment.created'
    | 'payment.idempotent-replay'
    | 'payment.refused'
    | 'vrp.created'
    | 'vrp.refused'
    | 'jws.rejected'
    | 'spec.rejected';
  clientId?: string;
  consentId?: string;
  paymentId?: string;
  endpoint?: string;
  error?: string;
  /** The x-idempotency-key of a replayed create (not a secret: it only names a request). */
  idempotencyKey?: string;
}

export interface PaymentsRouterDeps {
  verifier: { verify(req: Request): Promise<ResourceAccessToken> };
  /** The client's registered signing identity (oidc-provider's stored metadata). */
  clients: { find(clientId: string): Promise<SigningClient | undefined> };
  consents: ConsentStore;
  payments: PaymentStore;
  ledger: { record(event: PaymentLedgerEvent): void };
  spec: SpecValidator;
  /** Absolute origin for Links (the bank's issuer). */
  baseUrl: string;
  /** Signs every JSON response (x-jws-signature), as ASPSPs do; absent: responses are unsigned. */
  responseSigner?: ResponseSigner;
  /** Quirk requests.jwsB64Header: request signatures must carry b64 false (the older profile). */
  jwsB64Header?: boolean;
  now?: () => Date;
}

export interface PaymentLocals {
  token: ResourceAccessToken;
  operationId: string;
  raw: Buffer;
  idempotencyKey?: string;
}

export const locals = (res: Response): PaymentLocals => res.locals as PaymentLocals;

/** Extension errors carried by the verifier (AccessTokenError). */
type HttpError = { status?: number; body?: unknown; wwwAuthenticate?: string };

/**
 * Everything the PIS and VRP resource servers do before a route: interaction id, the raw body
 * kept byte for byte (the JWS signs those bytes), spec validation, the access token, and the
 * x-jws-signature on the operations in `signedOperations`.
 */
export function resourcePipeline(deps: PaymentsRouterDeps, signedOperations: string[]): Router {
  const now = deps.now ?? (() => new Date());
  const router = Router();
  router.use((req, res, next) => {
    // Signed at send time, over the final bytes (after a v3.1.11 front or a quirk mode rewrote them).
    deps.responseSigner?.signJsonResponses(res);
    const given = req.header('x-fapi-interaction-id');
    res.setHeader('x-fapi-interaction-id', given && given.length > 0 ? given : randomUUID());
    next();
  });
  router.use(express.raw({ type: () => true, limit: '1mb' }));
  router.use((req, res, next) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    locals(res).raw = raw;
    if (raw.length === 0) {
      req.body = undefined;
      return next();
    }
    try {
      req.body = JSON.parse(raw.toString('utf8')) as unknown;
    } catch {
      return sendObError(res, 400, [
        {
          ErrorCode: OB_ERROR_CODE.fieldInvalid,
          Message: 'the body is not valid JSON',
          Path: 'body',
        },
      ]);
    }
    next();
  });
  router.use((req, res, next) => {
    const check = deps.spec.validate({
      method: req.method,
      path: req.path,
      query: req.query as Record<string, unknown>,
      headers: req.headers,
      body: req.method === 'POST' || req.method === 'PUT' ? req.body : undefined,
    });
    // A missing signature is the JWS check's to report (U019), not the spec's U003.
    const violations = check.ok
      ? []
      : check.violations.filter((v) => v.path !== 'header.x-jws-signature');
    if (check.operationId && violations.length === 0) {
      locals(res).operationId = check.operationId;
      return next();
    }
    if (check.ok) return next();
    deps.ledger.record({
      type: 'spec.rejected',
      endpoint: `${req.method} ${req.path}`,
      error: violations.map((v) => `${v.path}: ${v.message}`).join('; '),
    });
    sendObError(
      res,
      check.operationId ? 400 : 404,
      violations.map((v) => ({ ErrorCode: v.errorCode, Message: v.message, Path: v.path })),
    );
  });
  router.use((req, res, next) => {
    deps.verifier.verify(req).then(
      (token) => {
        locals(res).token = token;
        next();
      },
      (err: unknown) => {
        const e = err as HttpError;
        if (typeof e?.status !== 'number' || !e.body) return next(err);
        if (e.wwwAuthenticate) res.setHeader('www-authenticate', e.wwwAuthenticate);
        res.status(e.status).json(e.body);
      },
    );
  });
  router.use((req, res, next) => {
    const { operationId, token, raw } = locals(res);
    if (!signedOperations.includes(operationId)) return next();
    // The v3.1.11 front (v3-1-11/v3-router.ts) checked the signature over the bytes it received.
    if ((res.locals as Record<string, unknown>)[JWS_VERIFIED_UPSTREAM] === true) return next();
    deps.clients
      .find(token.clientId)
      .then(async (client) => {
        if (!client)
          throw new JwsSignatureError('U016', 'the client has no registered signing keys');
        await verifyDetachedJws(
          req.header('x-jws-signature'),
          raw,
          client,
          Math.floor(now().getTime() / 1000),
          { b64Header: deps.jwsB64Header === true },
        );
      })
      .then(
        () => next(),
        (err: unknown) => {
          if (!(err instanceof JwsSignatureError)) return next(err);
          deps.ledger.record({
            type: 'jws.rejected',
            clientId: token.clientId,
            endpoint: `${req.method} ${req.path}`,
            error: `${err.errorCode}: ${err.message}`,
          });
          sendObError(res, 400, [
            { ErrorCode: err.errorCode, Message: err.message, Path: err.path },
          ]);
        },
      );
  });
  return router;
}

/**
 * x-idempotency-key on creating POSTs: the same key, client and body get the first response
 * again (no second resource); the same key with another body is refused.
 */
export function idempotency(deps: PaymentsRouterDeps) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const key = req.header('x-idempotency-key');
    const { token, raw } = locals(res);
    if (!key)
      return sendObError(res, 400, [
        {
          ErrorCode: OB_ERROR_CODE.fieldMissing,
          Message: 'x-idempotency-key is required',
          Path: 'header.x-idempotency-key',
        },
      ]);
    const prior = deps.payments.idempotent(scopeOf(token, req), key);
    if (prior && prior.bodyHash !== PaymentStore.hash(raw))
      return sendObError(res, 400, [
        {
          ErrorCode: OB_ERROR_CODE.fieldInvalid,
          Message: 'x-idempotency-key was already used with a different body',
          Path: 'header.x-idempotency-key',
        },
      ]);
    if (prior) {
      const data = (prior.body as { Data?: Record<string, unknown> }).Data ?? {};
      deps.ledger.record({
        type: 'payment.idempotent-replay',
        clientId: token.clientId,
        consentId: typeof data.ConsentId === 'string' ? data.ConsentId : undefined,
        endpoint: `${req.method} ${req.baseUrl}${req.path}`,
        idempotencyKey: key,
      });
      res.status(prior.status).json(prior.body);
      return;
    }
    locals(res).idempotencyKey = key;
    next();
  };
}

/**
 * Remembers a created resource's response under its idempotency key, then sends it. With
 * `faultAfterCommit` (payments and VRPs), the payment fault set through the admin API applies.
 */
export function sendCreated(
  deps: PaymentsRouterDeps,
  req: Request,
  res: Response,
  body: unknown,
  options: { faultAfterCommit?: boolean } = {},
): void {
  const { token, raw, idempotencyKey } = locals(res);
  if (idempotencyKey)
    deps.payments.remember(scopeOf(token, req), idempotencyKey, {
      bodyHash: PaymentStore.hash(raw),
      status: 201,
      body,
    });
  const fault = options.faultAfterCommit ? deps.payments.takeAfterCommitFault() : undefined;
  // The double-payment faults: committed and remembered, and the caller never hears of it
  // (cut), or hears of it only after a delay in which it may time out or crash (delay).
  if (fault?.mode === 'cut-after-commit') {
    req.socket.destroy();
    return;
  }
  if (fault?.mode === 'delay-after-commit') {
    const timer = setTimeout(() => {
      if (!res.writableEnded && !req.socket.destroyed) res.status(201).json(body);
    }, fault.delayMs);
    // The caller went away (crashed or timed out): nothing to answer.
    req.socket.once('close', () => clearTimeout(timer));
    return;
  }
  res.status(201).json(body);
}

function scopeOf(token: ResourceAccessToken, req: Request): string {
  return `${token.clientId} ${req.baseUrl}${req.path}`;
}

/** JSON equality that ignores key order and object prototypes (stored copies are structured clones). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}
