import { Router, type NextFunction, type Request, type Response } from 'express';
import { OB_ERROR_CODE, sendObError } from '../ais/ob-error';
import { CONSENT_STATUS, ConsentStore, type StoredConsent } from '../consents/consent-store';
import { PaymentStore } from '../payments/payment-store';
import {
  idempotency,
  locals,
  resourcePipeline,
  sameJson,
  sendCreated,
  type PaymentsRouterDeps,
} from '../payments/resource-pipeline';

export const PIS_BASE_PATH = '/open-banking/v4.0/pisp';
export const PIS_OPERATIONS = [
  'CreateDomesticPaymentConsents',
  'GetDomesticPaymentConsentsConsentId',
  'GetDomesticPaymentConsentsConsentIdFundsConfirmation',
  'CreateDomesticPayments',
  'GetDomesticPaymentsDomesticPaymentId',
  'GetDomesticPaymentsDomesticPaymentIdPaymentDetails',
];
const SIGNED = ['CreateDomesticPaymentConsents', 'CreateDomesticPayments'];
/** v4.0 payment consents end as COND ("consumed") once their one payment is made. */
export const CONSENT_CONSUMED = 'COND';

type Json = Record<string, unknown>;

/** PIS resource server (OB v4.0): domestic payment consents and domestic payments. */
export function pisRouter(deps: PaymentsRouterDeps): Router {
  const now = deps.now ?? (() => new Date());
  const router = Router();
  router.use(resourcePipeline(deps, SIGNED));
  // Risk is echoed back on reads; it is not part of the consent's Data.
  const risks = new Map<string, Json>();
  const link = (path: string) => ({ Self: `${deps.baseUrl}${PIS_BASE_PATH}${path}` });

  const clientCredentials = (_req: Request, res: Response, next: NextFunction) => {
    const { token } = locals(res);
    if (token.grantType !== 'client_credentials' || !token.scopes.includes('payments'))
      return sendObError(res, 403, [
        {
          ErrorCode: OB_ERROR_CODE.consentMismatch,
          Message: 'a client-credentials access token with the payments scope is required',
        },
      ]);
    next();
  };
  const ownConsent = (id: string, res: Response): StoredConsent | undefined => {
    const c = deps.consents.get(id);
    if (c && c.kind === 'domestic-payment' && c.clientId === locals(res).token.clientId) return c;
    sendObError(res, 404, [
      { ErrorCode: OB_ERROR_CODE.resourceNotFound, Message: 'no such domestic payment consent' },
    ]);
    return undefined;
  };
  const consentDocument = (c: StoredConsent) => ({
    Data: { ...c.body, Status: c.status },
    Risk: risks.get(c.consentId) ?? {},
    Links: link(`/domestic-payment-consents/${c.consentId}`),
    Meta: {},
  });

  router.post('/domestic-payment-consents', clientCredentials, idempotency(deps), (req, res) => {
    const { token } = locals(res);
    const request = req.body as { Data: Json; Risk: Json };
    const at = now();
    const consentId = ConsentStore.newId('pdc');
    const body: Json = {
      ConsentId: consentId,
      CreationDateTime: at.toISOString(),
      Status: CONSENT_STATUS.awaitingAuthorisation,
      StatusUpdateDateTime: at.toISOString(),
      ...(request.Data.ReadRefundAccount
        ? { ReadRefundAccount: request.Data.ReadRefundAccount }
        : {}),
      CutOffDateTime: endOfDay(at),
      ExpectedExecutionDateTime: at.toISOString(),
      ExpectedSettlementDateTime: at.toISOString(),
      Initiation: request.Data.Initiation,
      ...(request.Data.Authorisation ? { Authorisation: request.Data.Authorisation } : {}),
      ...(request.Data.SCASupportData ? { SCASupportData: request.Data.SCASupportData } : {}),
    };
    const consent = deps.consents.create({
      consentId,
      kind: 'domestic-payment',
      clientId: token.clientId,
      status: CONSENT_STATUS.awaitingAuthorisation,
      body,
    });
    risks.set(consentId, request.Risk);
    sendCreated(deps, req, res, consentDocument(consent));
  });

  router.get('/domestic-payment-consents/:ConsentId', clientCredentials, (req, res) => {
    const c = ownConsent(String(req.params.ConsentId), res);
    if (c) res.json(consentDocument(c));
  });

  router.get('/domestic-payment-consents/:ConsentId/funds-confirmation', (req, res) => {
    const { token } = locals(res);
    const c = deps.consents.get(String(req.params.ConsentId));
    if (
      !c ||
      c.kind !== 'domestic-payment' ||
      c.clientId !== token.clientId ||
      token.grantType !== 'authorization_code' ||
      token.consentId !== c.consentId
    )
      return sendObError(res, 403, [
        {
          ErrorCode: OB_ERROR_CODE.consentMismatch,
          Message: 'an authorization-code access token of this consent is required',
        },
      ]);
    if (c.status !== CONSENT_STATUS.authorised)
      return sendObError(res, 400, [
        {
          ErrorCode: OB_ERROR_CODE.consentInvalidStatus,
          Message: `the consent has status ${c.status}; funds are confirmed for AUTH only`,
        },
      ]);
    const amount = ((c.body.Initiation as Json).InstructedAmount as Json).Amount as string;
    res.json({
      Data: {
        FundsAvailableResult: {
          FundsAvailableDateTime: now().toISOString(),
          FundsAvailable: deps.payments.fundsAvailable(c.accountIds?.[0], amount),
        },
      },
      Links: link(`/domestic-payment-consents/${c.consentId}/funds-confirmation`),
      Meta: {},
    });
  });

  router.post('/domestic-payments', idempotency(deps), (req, res) => {
    const { token, idempotencyKey } = locals(res);
    const request = req.body as { Data: { ConsentId: string; Initiation: Json } };
    const refuse = (status: number, errorCode: string, message: string, path?: string) => {
      deps.ledger.record({
        type: 'payment.refused',
        clientId: token.clientId,
        consentId: request.Data.ConsentId,
        error: message,
      });
      sendObError(res, status, [{ ErrorCode: errorCode, Message: message, Path: path }]);
    };
    if (token.grantType !== 'authorization_code' || token.consentId !== request.Data.ConsentId)
      return refuse(
        403,
        OB_ERROR_CODE.consentMismatch,
        'the access token is not for this consent',
        'Data.ConsentId',
      );
    const c = deps.consents.get(request.Data.ConsentId);
    if (!c || c.kind !== 'domestic-payment' || c.clientId !== token.clientId)
      return refuse(403, OB_ERROR_CODE.consentMismatch, 'no such domestic payment consent');
    if (c.status !== CONSENT_STATUS.authorised)
      return refuse(
        400,
        OB_ERROR_CODE.consentInvalidStatus,
        `the consent has status ${c.status}; a payment needs an AUTH consent`,
      );
    if (!sameJson(request.Data.Initiation, c.body.Initiation))
      return refuse(
        400,
        OB_ERROR_CODE.consentMismatch,
        "the Initiation differs from the consent's Initiation",
        'Data.Initiation',
      );
    const at = now().toISOString();
    const paymentId = PaymentStore.newId('dp');
    const instructed = request.Data.Initiation.InstructedAmount as {
      Amount: string;
      Currency: string;
    };
    const data: Json = {
      DomesticPaymentId: paymentId,
      ConsentId: c.consentId,
      CreationDateTime: at,
      Status: 'ACSC',
      StatusUpdateDateTime: at,
      ExpectedExecutionDateTime: at,
      ExpectedSettlementDateTime: at,
      Initiation: request.Data.Initiation,
    };
    deps.payments.add({
      kind: 'domestic-payment',
      paymentId,
      consentId: c.consentId,
      clientId: token.clientId,
      amount: instructed.Amount,
      currency: instructed.Currency,
      debtorAccountId: c.accountIds?.[0],
      idempotencyKey: idempotencyKey ?? '',
      createdAt: at,
      data,
    });
    deps.consents.update(c.consentId, { status: CONSENT_CONSUMED });
    deps.ledger.record({
      type: 'payment.created',
      clientId: token.clientId,
      consentId: c.consentId,
      paymentId,
      idempotencyKey,
    });
    sendCreated(
      deps,
      req,
      res,
      { Data: data, Links: link(`/domestic-payments/${paymentId}`), Meta: {} },
      { faultAfterCommit: true },
    );
  });

  const ownPayment = (req: Request, res: Response) => {
    const p = deps.payments.get(String(req.params.DomesticPaymentId));
    if (p && p.kind === 'domestic-payment' && p.clientId === locals(res).token.clientId) return p;
    sendObError(res, 404, [
      { ErrorCode: OB_ERROR_CODE.resourceNotFound, Message: 'no such domestic payment' },
    ]);
    return undefined;
  };
  router.get('/domestic-payments/:DomesticPaymentId', (req, res) => {
    const p = ownPayment(req, res);
    if (p) res.json({ Data: p.data, Links: link(`/domestic-payments/${p.paymentId}`), Meta: {} });
  });
  router.get('/domestic-payments/:DomesticPaymentId/payment-details', (req, res) => {
    const p = ownPayment(req, res);
    if (!p) return;
    res.json({
      Data: {
        PaymentStatus: [
          {
            PaymentTransactionId: p.paymentId,
            Status: p.data.Status,
            StatusUpdateDateTime: p.data.StatusUpdateDateTime,
          },
        ],
      },
      Links: link(`/domestic-payments/${p.paymentId}/payment-details`),
      Meta: {},
    });
  });
  router.use((_req, res) =>
    sendObError(res, 404, [
      { ErrorCode: OB_ERROR_CODE.resourceNotFound, Message: 'not supported by the mock bank' },
    ]),
  );
  return router;
}

function endOfDay(at: Date): string {
  const d = new Date(at);
  d.setUTCHours(23, 59, 59, 0);
  return d.toISOString().replace('.000Z', '+00:00');
}
