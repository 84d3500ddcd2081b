import express, { Router } from 'express';
import { FaultValidationError, type FaultInjector } from './fault-injector';

/** POST /faults and /faults/reset, mounted under the guarded /__admin prefix. */
export function faultsRouter(faults: FaultInjector): Router {
  const router = Router();
  router.use(express.json());
  router.post('/faults', (req, res) => {
    try {
      res.json(faults.set(req.body));
    } catch (err) {
      if (!(err instanceof FaultValidationError)) throw err;
      res.status(400).json({ error: 'invalid_request', error_description: err.message });
    }
  });
  router.post('/faults/reset', (_req, res) => {
    faults.reset();
    res.status(204).end();
  });
  router.get('/faults', (_req, res) => {
    res.json(faults.current());
  });
  return router;
}
