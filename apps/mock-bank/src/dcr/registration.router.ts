import express, { Router, type Request, type Response } from 'express';
import type { Provider } from 'oidc-provider';
import type { Ledger } from '../admin/ledger';
import { isMtlsAuthorized, peerCertificate } from '../tls/client-certificate';
import { checkClientToken } from './client-token.guard';
import { RegistrationError } from './registration.error';
import type { RegistrationService } from './registration.service';

const JWT_TYPES = ['application/jwt', 'application/jose'];

/** UK DCR endpoints: POST /register, GET/PUT/DELETE /register/{clientId}. */
export function registrationRouter(
  service: RegistrationService,
  provider: Provider,
  ledger: Ledger,
): Router {
  const router = Router();
  const jwtBody = express.text({ type: JWT_TYPES, limit: '100kb' });

  const quirks = service.registrationQuirks;
  const unsupported = (res: Response, what: string): void => {
    res.status(405).json({
      error: 'invalid_request',
      error_description: `${what} is not supported by this bank`,
    });
  };

  router.post('/register', jwtBody, async (req, res) => {
    if (quirks.mode === 'manual') {
      res.status(403).json({
        error: 'access_denied',
        error_description: 'this bank registers clients in its developer portal only',
      });
      return;
    }
    const cert = peerCertificate(req);
    if (!isMtlsAuthorized(req) || !cert) {
      res.status(401).json({
        error: 'invalid_client',
        error_description: 'registration requires a client certificate issued by the test CA',
      });
      return;
    }
    await answer(res, ledger, 201, () =>
      service.register(jwtOf(req, quirks.requestContentType), cert),
    );
  });

  router.get('/register/:clientId', async (req, res) => {
    if (!quirks.getSupported) return unsupported(res, 'GET /register/{clientId}');
    if (!(await authorised(provider, req, res))) return;
    await answer(res, ledger, 200, () => service.read(req.params.clientId as string));
  });

  router.put('/register/:clientId', jwtBody, async (req, res) => {
    if (!(await authorised(provider, req, res))) return;
    const cert = peerCertificate(req);
    if (!cert) return;
    await answer(res, ledger, 200, () =>
      service.update(req.params.clientId as string, jwtOf(req, quirks.requestContentType), cert),
    );
  });

  router.delete('/register/:clientId', async (req, res) => {
    if (!quirks.deleteSupported) return unsupported(res, 'DELETE /register/{clientId}');
    if (!(await authorised(provider, req, res))) return;
    try {
      await service.delete(req.params.clientId as string);
      res.status(204).end();
    } catch (err) {
      if (!(err instanceof RegistrationError)) throw err;
      res.status(401).json(err);
    }
  });

  return router;
}

function jwtOf(req: Request, contentType: 'any' | 'application/jwt' | 'application/jose'): string {
  if (!req.is(JWT_TYPES))
    throw new RegistrationError(
      'invalid_client_metadata',
      'the request body must be a JWT sent as application/jwt or application/jose',
    );
  // Quirk: a bank that takes only one of the two content types.
  if (contentType !== 'any' && !req.is(contentType))
    throw new RegistrationError(
      'invalid_client_metadata',
      `this bank takes the registration JWT only as ${contentType}`,
    );
  return typeof req.body === 'string' ? req.body.trim() : '';
}

async function authorised(provider: Provider, req: Request, res: Response): Promise<boolean> {
  const check = await checkClientToken(provider, req, req.params.clientId as string);
  if (check.ok) return true;
  res
    .status(check.status)
    .set(
      'www-authenticate',
      `Bearer error="${check.status === 401 ? 'invalid_token' : 'insufficient_scope'}"`,
    )
    .json({
      error: check.status === 401 ? 'invalid_token' : 'access_denied',
      error_description: check.description,
    });
  return false;
}

async function answer(
  res: Response,
  ledger: Ledger,
  status: number,
  run: () => Promise<unknown>,
): Promise<void> {
  try {
    const body = await run();
    res.status(status).set('cache-control', 'no-store').json(body);
  } catch (err) {
    if (!(err instanceof RegistrationError)) throw err;
    ledger.record({ type: 'registration.rejected', error: err.error });
    res.status(400).json(err);
  }
}

/**
 * POST /__admin/clients: what a TPP does by hand in a bank's developer portal when the bank has
 * no DCR (registration.mode 'manual'). Answers like a registration response (client_id, and
 * client_secret for the client_secret_* methods), for the connector to import.
 */
export function portalAdminRouter(service: RegistrationService): Router {
  const router = Router();
  router.post('/clients', express.json(), async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const strings = (v: unknown): v is string[] =>
      Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');
    if (
      typeof b.organisationId !== 'string' ||
      typeof b.softwareId !== 'string' ||
      typeof b.tokenEndpointAuthMethod !== 'string' ||
      !strings(b.redirectUris)
    ) {
      res.status(400).json({
        error: 'invalid_request',
        error_description:
          'give organisationId, softwareId, tokenEndpointAuthMethod and redirectUris (and tlsClientAuthSubjectDn for tls_client_auth)',
      });
      return;
    }
    try {
      const client = await service.registerInPortal({
        organisationId: b.organisationId,
        softwareId: b.softwareId,
        redirectUris: b.redirectUris,
        tokenEndpointAuthMethod: b.tokenEndpointAuthMethod,
        tlsClientAuthSubjectDn:
          typeof b.tlsClientAuthSubjectDn === 'string' ? b.tlsClientAuthSubjectDn : undefined,
        scope: typeof b.scope === 'string' ? b.scope : undefined,
      });
      res.status(201).json(client);
    } catch (err) {
      if (!(err instanceof RegistrationError)) throw err;
      res.status(400).json(err);
    }
  });
  return router;
}
