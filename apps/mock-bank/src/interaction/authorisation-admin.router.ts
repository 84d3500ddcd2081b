import express, { Router } from 'express';
import type { MemoryStorage } from '../oidc/memory-adapter';
import { INTENT_ID_CLAIM } from '../oidc/access-token-verifier';
import { HeadlessAuthorisationError, type HeadlessAuthoriser } from './headless-authoriser';

export interface AuthorisationAdminDeps {
  authoriser: HeadlessAuthoriser;
  storage: MemoryStorage;
}

function badRequest(description: string) {
  return { error: 'invalid_request', error_description: description };
}

/**
 * POST /authorise and /tokens/expire, mounted under /__admin after the admin router (whose
 * guard and JSON parser run first for every /__admin request).
 */
export function authorisationAdminRouter({ authoriser, storage }: AuthorisationAdminDeps): Router {
  const router = Router();
  router.use(express.json());

  router.post('/authorise', async (req, res) => {
    const { authUrl, decision, accountIds } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof authUrl !== 'string' || !URL.canParse(authUrl)) {
      res.status(400).json(badRequest('authUrl must be the authorisation URL'));
      return;
    }
    if (decision !== 'approve' && decision !== 'deny') {
      res.status(400).json(badRequest("decision must be 'approve' or 'deny'"));
      return;
    }
    if (
      accountIds !== undefined &&
      !(Array.isArray(accountIds) && accountIds.every((a) => typeof a === 'string'))
    ) {
      res.status(400).json(badRequest('accountIds must be an array of account ids'));
      return;
    }
    try {
      const redirectUrl = await authoriser.authorise(authUrl, decision, accountIds ?? []);
      res.json({ redirectUrl });
    } catch (err) {
      if (!(err instanceof HeadlessAuthorisationError)) throw err;
      res.status(422).json({ error: 'authorisation_failed', error_description: err.message });
    }
  });

  router.post('/tokens/expire', (req, res) => {
    const { consentId } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof consentId !== 'string' || !consentId) {
      res.status(400).json(badRequest('consentId is required'));
      return;
    }
    const expired = storage.deleteWhere('AccessToken', (p) => {
      const extra = p.extra as Record<string, unknown> | undefined;
      return p.accountId === consentId || extra?.[INTENT_ID_CLAIM] === consentId;
    });
    res.json({ consentId, expired });
  });

  return router;
}
