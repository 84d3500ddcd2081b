import express, { Router } from 'express';
import { isMtlsAuthorized } from '../tls/client-certificate';
import { bearerToken } from '../http/bearer-token';
import type { Ledger } from '../admin/ledger';
import type { DirectorySigner } from './directory-signer';
import type { DirectoryStore } from './directory-store';
import { DirectoryTokenError, type DirectoryTokenService } from './directory-token.service';

export interface DirectoryDeps {
  store: DirectoryStore;
  signer: DirectorySigner;
  tokens: DirectoryTokenService;
  ledger: Ledger;
}

const SOFTWARE = '/organisation/:orgId/software-statement/:softwareId';

/** The mock OB directory, mounted under /directory. */
export function directoryRouter({ store, signer, tokens, ledger }: DirectoryDeps): Router {
  const router = Router();

  router.get('/jwks', (_req, res) => {
    res.json(signer.publicJwks());
  });

  // Published without authentication, like the OB keystore, so banks can fetch it.
  router.get(`${SOFTWARE}/jwks`, (req, res) => {
    const enrolment = store.get(req.params.orgId, req.params.softwareId);
    if (!enrolment) {
      res.status(404).json({ error: 'not_found', error_description: 'unknown software statement' });
      return;
    }
    res.json(enrolment.signingJwks);
  });

  router.post('/token', express.urlencoded({ extended: false }), async (req, res) => {
    if (!isMtlsAuthorized(req)) {
      res.status(401).json({
        error: 'invalid_client',
        error_description: 'a client certificate issued by the test CA is required',
      });
      return;
    }
    try {
      const token = await tokens.issue((req.body ?? {}) as Record<string, unknown>);
      ledger.record({ type: 'directory.token' });
      ledger.recordIssued(
        'directory_access_token',
        (token as { access_token?: unknown }).access_token,
      );
      res.set('cache-control', 'no-store').json(token);
    } catch (err) {
      if (!(err instanceof DirectoryTokenError)) throw err;
      res
        .status(err.error === 'invalid_client' ? 401 : 400)
        .json({ error: err.error, error_description: err.message });
    }
  });

  router.get(`${SOFTWARE}/software-statement-assertion`, async (req, res) => {
    const { orgId, softwareId } = req.params;
    if (!tokens.authorises(bearerToken(req), orgId, softwareId)) {
      res
        .status(401)
        .set('www-authenticate', 'Bearer error="invalid_token"')
        .json({ error: 'invalid_token' });
      return;
    }
    const enrolment = store.get(orgId, softwareId);
    if (!enrolment) {
      res.status(404).json({ error: 'not_found', error_description: 'unknown software statement' });
      return;
    }
    ledger.record({ type: 'directory.ssa', softwareId });
    const ssa = await signer.issueSsa(enrolment);
    ledger.recordIssued('software_statement', ssa);
    res.type('application/jwt').send(ssa);
  });

  return router;
}
