import express, { Router } from 'express';
import { FaultValidationError, type FaultInjector } from './fault-injector';
import type { NetworkFaults } from './network-faults';

/** POST /faults and /faults/reset, mounted under the guarded /__admin prefix. */
export function faultsRouter(faults: FaultInjector, network?: NetworkFaults): Router {
  const router = Router();
  router.use(express.json());
  if (network) {
    // Network faults of the resource and token endpoints (see network-faults.ts).
    router.post('/faults/network', (req, res) => {
      try {
        res.json(network.set(req.body));
      } catch (err) {
        if (!(err instanceof FaultValidationError)) throw err;
        res.status(400).json({ error: 'invalid_request', error_description: err.message });
      }
    });
    router.post('/faults/network/reset', (_req, res) => {
      network.reset();
      res.status(204).end();
    });
    router.get('/faults/network', (_req, res) => {
      res.json({ fault: network.current() ?? null });
    });
  }
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
