import express, { Router } from 'express';
import { timingSafeEqual, createHash } from 'node:crypto';
import { bearerToken } from '../http/bearer-token';
import type { DirectorySigner, DirectoryUrls } from '../directory/directory-signer';
import type { DirectoryStore } from '../directory/directory-store';
import {
  EnrolmentValidationError,
  parseEnrolment,
} from '../directory/software-statement-enrolment';
import type { Ledger } from './ledger';

export interface AdminDeps {
  ledger: Ledger;
  store: DirectoryStore;
  signer: DirectorySigner;
  urls: DirectoryUrls;
  adminToken?: string;
}

/** Test and demo controls under /__admin; guarded by MOCK_BANK_ADMIN_TOKEN when it is set. */
export function adminRouter({ ledger, store, signer, urls, adminToken }: AdminDeps): Router {
  const router = Router();
  router.use((req, res, next) => {
    if (adminToken && !sameSecret(bearerToken(req), adminToken)) {
      res
        .status(401)
        .set('www-authenticate', 'Bearer')
        .json({ error: 'unauthorized', error_description: 'admin token required' });
      return;
    }
    next();
  });
  router.use(express.json());

  router.get('/ledger', (_req, res) => {
    res.json(ledger.snapshot());
  });

  // The counts alone: cheap to ask for while a benchmark has put many reads in the ledger.
  router.get('/ledger/counts', (_req, res) => {
    res.json({ counts: ledger.counts() });
  });

  router.get('/issued-secrets', (_req, res) => {
    res.json({ secrets: ledger.issuedSecrets() });
  });

  router.post('/reset', (_req, res) => {
    ledger.reset();
    res.status(204).end();
  });

  router.post('/directory/software-statements', (req, res) => {
    try {
      const enrolment = parseEnrolment(req.body);
      store.enrol(enrolment);
      res.status(201).json({
        organisationId: enrolment.organisationId,
        softwareId: enrolment.softwareId,
        softwareJwksEndpoint: urls.softwareJwks(enrolment.organisationId, enrolment.softwareId),
      });
    } catch (err) {
      if (!(err instanceof EnrolmentValidationError)) throw err;
      res.status(400).json({ error: 'invalid_request', error_description: err.message });
    }
  });

  // Shortcut for tests that give the connector its SSA inline instead of fetching it.
  router.post('/directory/ssa', async (req, res) => {
    const { organisationId, softwareId } = (req.body ?? {}) as {
      organisationId?: unknown;
      softwareId?: unknown;
    };
    const enrolment =
      typeof organisationId === 'string' && typeof softwareId === 'string'
        ? store.get(organisationId, softwareId)
        : undefined;
    if (!enrolment) {
      res.status(404).json({
        error: 'not_found',
        error_description: 'no software statement enrolled for that organisationId and softwareId',
      });
      return;
    }
    res.type('application/jwt').send(await signer.issueSsa(enrolment));
  });

  return router;
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
