import express, { Router, type Request, type Response } from 'express';
import { sendObError } from '../ais/ob-error';
import {
  JwsSignatureError,
  verifyDetachedJws,
  type SigningClient,
} from '../payments/jws-signature';
import type { SpecValidator } from '../spec-validation/spec-validator';
import { JWS_VERIFIED_UPSTREAM } from './jws-verified';
import { requestToV4, responseKindOf, responseToV3 } from './translate';

export interface V3LedgerEvent {
  type: 'spec.rejected' | 'spec.response-invalid' | 'jws.rejected';
  clientId?: string;
  endpoint?: string;
  error?: string;
}

export interface V3RouterDeps {
  /** The v3.1.11 document of this API: every request, and every success response, is checked. */
  spec: SpecValidator;
  /** The v4.0 router serving the same API (its state, ledger and rules). */
  inner: Router;
  /** The v4.0 router's mount path, rewritten in Links. */
  v4BasePath: string;
  ledger: { record(event: V3LedgerEvent): void };
  /** How the inner router takes its body: parsed (AIS) or the raw bytes it signs over (PIS, VRP). */
  body: 'json' | 'buffer';
  /** Operations whose detached JWS is checked here, over the v3.1.11 bytes the TPP signed. */
  signed?: {
    operations: string[];
    verifier: { verify(req: Request): Promise<{ clientId: string }> };
    clients: { find(clientId: string): Promise<SigningClient | undefined> };
    now?: () => Date;
    /** Quirk requests.jwsB64Header: b64 false required in the signature header. */
    b64Header?: boolean;
  };
}

/**
 * A v3.1.11 resource server in front of a v4.0 one: validates the request against the v3.1.11
 * document, translates its body to v4.0, lets the v4.0 router serve it, and answers in v3.1.11
 * words (validated against the v3.1.11 document; a mismatch is recorded in the ledger). The
 * signature covers the bytes the TPP sent, so it is verified here, before translation.
 */
export function v3Router(deps: V3RouterDeps): Router {
  const router = Router();
  router.use(express.raw({ type: () => true, limit: '1mb' }));
  router.use((req, res, next) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const endpoint = `${req.method} ${req.baseUrl}${req.path}`;
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8')) as unknown;
      } catch {
        return sendObError(res, 400, [
          {
            ErrorCode: 'UK.OBIE.Field.Invalid',
            Message: 'the body is not valid JSON',
            Path: 'body',
          },
        ]);
      }
    }
    const check = deps.spec.validate({
      method: req.method,
      path: req.path,
      query: req.query as Record<string, unknown>,
      headers: req.headers,
      body: req.method === 'POST' || req.method === 'PUT' ? body : undefined,
    });
    // A missing signature is the JWS check's to report, not the spec's.
    const violations = check.ok
      ? []
      : check.violations.filter((v) => v.path !== 'header.x-jws-signature');
    if (!check.operationId || violations.length > 0) {
      deps.ledger.record({
        type: 'spec.rejected',
        endpoint,
        error: violations.map((v) => `${v.path}: ${v.message}`).join('; '),
      });
      return sendObError(
        res,
        check.operationId ? 400 : 404,
        violations.map((v) => ({
          ErrorCode: v.errorCode === 'U003' ? 'UK.OBIE.Field.Missing' : 'UK.OBIE.Field.Invalid',
          Message: v.message,
          Path: v.path,
        })),
      );
    }
    const operationId = check.operationId;

    // Answers go back in v3.1.11 words, checked against the v3.1.11 document.
    const kind = responseKindOf(operationId);
    const json = res.json.bind(res);
    res.json = (v4Body: unknown) => {
      const v3Body = responseToV3(kind, v4Body, { v4Base: deps.v4BasePath, v3Base: req.baseUrl });
      if (res.statusCode < 300) {
        const errors = deps.spec.validateResponse(operationId, res.statusCode, v3Body);
        if (errors.length > 0)
          deps.ledger.record({
            type: 'spec.response-invalid',
            endpoint,
            error: errors.map((e) => `${e.instancePath} ${e.message}`).join('; '),
          });
      }
      return json(v3Body);
    };

    const v4Body = body === undefined ? undefined : requestToV4(body);
    req.body =
      deps.body === 'json'
        ? v4Body
        : v4Body === undefined
          ? Buffer.alloc(0)
          : Buffer.from(JSON.stringify(v4Body));
    const serve = () => deps.inner(req, res, next);
    if (!deps.signed?.operations.includes(operationId)) return serve();
    verifySignature(deps, req, res, raw).then(
      (verified) => {
        if (verified) serve();
      },
      (err: unknown) => next(err),
    );
  });
  return router;
}

async function verifySignature(
  deps: V3RouterDeps,
  req: Request,
  res: Response,
  raw: Buffer,
): Promise<boolean> {
  const signed = deps.signed!;
  let clientId: string;
  try {
    ({ clientId } = await signed.verifier.verify(req));
  } catch {
    // The inner router answers for the access token in its own words.
    return true;
  }
  try {
    const client = await signed.clients.find(clientId);
    if (!client) throw new JwsSignatureError('U016', 'the client has no registered signing keys');
    const now = (signed.now ?? (() => new Date()))();
    await verifyDetachedJws(
      req.header('x-jws-signature'),
      raw,
      client,
      Math.floor(now.getTime() / 1000),
      { b64Header: signed.b64Header === true },
    );
    (res.locals as Record<string, unknown>)[JWS_VERIFIED_UPSTREAM] = true;
    return true;
  } catch (err) {
    if (!(err instanceof JwsSignatureError)) throw err;
    deps.ledger.record({
      type: 'jws.rejected',
      clientId,
      endpoint: `${req.method} ${req.baseUrl}${req.path}`,
      error: `${err.errorCode}: ${err.message}`,
    });
    sendObError(res, 400, [{ ErrorCode: err.errorCode, Message: err.message, Path: err.path }]);
    return false;
  }
}
