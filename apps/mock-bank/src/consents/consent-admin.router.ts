import { Router } from 'express';
import type { ConsentStore } from './consent-store';

/** GET /__admin/consents/{id}: tests check a consent's status at the bank. Mount behind the admin guard. */
export function consentAdminRouter(consents: ConsentStore): Router {
  const router = Router();
  router.get('/consents/:consentId', (req, res) => {
    const consent = consents.get(req.params.consentId);
    if (!consent) {
      res.status(404).json({ error: 'not_found', error_description: 'no such consent' });
      return;
    }
    res.json(consent);
  });
  return router;
}
