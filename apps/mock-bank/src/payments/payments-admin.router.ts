import express, { Router } from 'express';
import { FaultValidationError, type PaymentStore } from './payment-store';

/** POST /faults/payments, POST /faults/payments/reset and GET /payments under the guarded /__admin. */
export function paymentsAdminRouter(payments: PaymentStore): Router {
  const router = Router();
  router.use(express.json());
  router.post('/faults/payments', (req, res) => {
    try {
      res.json(payments.setFault(req.body));
    } catch (err) {
      if (!(err instanceof FaultValidationError)) throw err;
      res.status(400).json({ error: 'invalid_request', error_description: err.message });
    }
  });
  router.post('/faults/payments/reset', (_req, res) => {
    payments.resetFault();
    res.status(204).end();
  });
  // Every payment and VRP the bank holds, so tests can assert exactly one was made.
  router.get('/payments', (_req, res) => {
    res.json({
      payments: payments.list().map((p) => ({
        kind: p.kind,
        paymentId: p.paymentId,
        consentId: p.consentId,
        clientId: p.clientId,
        amount: p.amount,
        currency: p.currency,
        idempotencyKey: p.idempotencyKey,
        createdAt: p.createdAt,
      })),
    });
  });
  return router;
}
