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
import { periodStart, toMinor, type PeriodicLimit } from './periodic-limits';

export const VRP_BASE_PATH = '/open-banking/v4.0/vrp';
export const VRP_OPERATIONS = [
  'domesticVrpConsentsPost',
  'domesticVrpConsentsGet',
  'domesticVrpConsentsDelete',
  'domesticVrpConsentsFundsConfirmation',
  'domesticVrpPost',
  'domesticVrpGet',
  'domesticVrpPaymentDetailsGet',
];
const SIGNED = [
  'domesticVrpConsentsPost',
  'domesticVrpConsentsFundsConfirmation',
  'domesticVrpPost',
];
/**
 * The v4.0 code for a VRP outside its consent's control parameters (v3.1's
 * `UK.OBIE.Rules.FailsControlParameters` no longer fits the 4-character ErrorCode). Sent with 400.
 */
export const VRP_LIMIT_ERROR_CODE = 'U020';

type Json = Record<string, unknown>;
type Amount = { Amount: string; Currency: string };
interface ControlParameters {
  VRPType: string[];
  MaximumIndividualAmount: Amount;
  PeriodicLimits: PeriodicLimit[];
  ValidFromDateTime?: string;
  ValidToDateTime?: string;
}

/** Quirk modes of the VRP routes (MockBankQuirks.requests). */
export interface VrpRouterQuirks {
  /** Refuse a VRP that carries Data.VRPType; one without it takes the consent's type. */
  refuseVrpType?: boolean;
}

/** VRP resource server (OB v4.0): domestic VRP consents, funds confirmation and VRPs. */
export function vrpRouter(deps: PaymentsRouterDeps, quirks: VrpRouterQuirks = {}): Router {
  const now = deps.now ?? (() => new Date());
  const router = Router();
  router.use(resourcePipeline(deps, SIGNED));
  const risks = new Map<string, Json>();
  const link = (path: string) => ({ Self: `${deps.baseUrl}${VRP_BASE_PATH}${path}` });

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
    if (c && c.kind === 'domestic-vrp' && c.clientId === locals(res).token.clientId) return c;
    sendObError(res, 404, [
      { ErrorCode: OB_ERROR_CODE.resourceNotFound, Message: 'no such domestic VRP consent' },
    ]);
    return undefined;
  };
  /** The consent the PSU's token is for, when it is this consent and it is AUTH. */
  const authorisedConsent = (consentId: string, res: Response) => {
    const { token } = locals(res);
    const c = deps.consents.get(consentId);
    if (
      !c ||
      c.kind !== 'domestic-vrp' ||
      c.clientId !== token.clientId ||
      token.grantType !== 'authorization_code' ||
      token.consentId !== consentId
    ) {
      sendObError(res, 403, [
        {
          ErrorCode: OB_ERROR_CODE.consentMismatch,
          Message: 'an authorization-code access token of this VRP consent is required',
          Path: 'Data.ConsentId',
        },
      ]);
      return undefined;
    }
    const validTo = (c.body.ControlParameters as ControlParameters).ValidToDateTime;
    if (c.status === CONSENT_STATUS.authorised && validTo && Date.parse(validTo) <= now().getTime())
      c.status = deps.consents.update(c.consentId, { status: CONSENT_STATUS.expired }).status;
    if (c.status !== CONSENT_STATUS.authorised) {
      sendObError(res, 400, [
        {
          ErrorCode: OB_ERROR_CODE.consentInvalidStatus,
          Message: `the consent has status ${c.status}; only an AUTH consent can be used`,
        },
      ]);
      return undefined;
    }
    return c;
  };
  const consentDocument = (c: StoredConsent) => ({
    Data: { ...c.body, Status: c.status },
    Risk: risks.get(c.consentId) ?? {},
    Links: link(`/domestic-vrp-consents/${c.consentId}`),
    Meta: {},
  });

  router.post('/domestic-vrp-consents', clientCredentials, idempotency(deps), (req, res) => {
    const { token } = locals(res);
    const request = req.body as { Data: Json; Risk: Json };
    const at = now().toISOString();
    const consentId = ConsentStore.newId('vrp');
    const body: Json = {
      ConsentId: consentId,
      CreationDateTime: at,
      Status: CONSENT_STATUS.awaitingAuthorisation,
      StatusUpdateDateTime: at,
      ...(request.Data.ReadRefundAccount
        ? { ReadRefundAccount: request.Data.ReadRefundAccount }
        : {}),
      ControlParameters: request.Data.ControlParameters,
      Initiation: request.Data.Initiation,
    };
    const consent = deps.consents.create({
      consentId,
      kind: 'domestic-vrp',
      clientId: token.clientId,
      status: CONSENT_STATUS.awaitingAuthorisation,
      body,
    });
    risks.set(consentId, request.Risk);
    sendCreated(deps, req, res, consentDocument(consent));
  });

  router.get('/domestic-vrp-consents/:ConsentId', clientCredentials, (req, res) => {
    const c = ownConsent(String(req.params.ConsentId), res);
    if (c) res.json(consentDocument(c));
  });

  router.delete('/domestic-vrp-consents/:ConsentId', clientCredentials, (req, res) => {
    const c = ownConsent(String(req.params.ConsentId), res);
    if (!c) return;
    deps.consents.revoke(c.consentId);
    res.status(204).end();
  });

  router.post('/domestic-vrp-consents/:ConsentId/funds-confirmation', (req, res) => {
    const request = req.body as {
      Data: { ConsentId: string; Reference?: string; InstructedAmount: Amount };
    };
    if (request.Data.ConsentId !== req.params.ConsentId)
      return sendObError(res, 400, [
        {
          ErrorCode: OB_ERROR_CODE.fieldInvalid,
          Message: 'Data.ConsentId differs from the consent in the path',
          Path: 'Data.ConsentId',
        },
      ]);
    const c = authorisedConsent(request.Data.ConsentId, res);
    if (!c) return;
    const at = now().toISOString();
    res.status(201).json({
      Data: {
        FundsConfirmationId: PaymentStore.newId('fc').slice(0, 40),
        ConsentId: c.consentId,
        CreationDateTime: at,
        ...(request.Data.Reference ? { Reference: request.Data.Reference } : {}),
        FundsAvailableResult: {
          FundsAvailableDateTime: at,
          FundsAvailable: deps.payments.fundsAvailable(
            c.accountIds?.[0],
            request.Data.InstructedAmount.Amount,
          )
            ? 'Available'
            : 'NotAvailable',
        },
        InstructedAmount: request.Data.InstructedAmount,
      },
      Links: link(`/domestic-vrp-consents/${c.consentId}/funds-confirmation`),
      Meta: {},
    });
  });

  router.post('/domestic-vrps', idempotency(deps), (req, res) => {
    const { token, idempotencyKey } = locals(res);
    const request = req.body as {
      Data: { ConsentId: string; VRPType?: string; Initiation: Json; Instruction: Json };
    };
    // Quirk: a bank that refuses the member the standard requires (Barclays).
    if (quirks.refuseVrpType && request.Data.VRPType !== undefined)
      return sendObError(res, 400, [
        {
          ErrorCode: OB_ERROR_CODE.fieldInvalid,
          Message: 'Data.VRPType is not accepted by this bank; leave it out',
          Path: 'Data.VRPType',
        },
      ]);
    const c = authorisedConsent(request.Data.ConsentId, res);
    if (!c) return;
    const refuse = (errorCode: string, message: string, path: string) => {
      deps.ledger.record({
        type: 'vrp.refused',
        clientId: token.clientId,
        consentId: c.consentId,
        error: message,
      });
      sendObError(res, 400, [{ ErrorCode: errorCode, Message: message, Path: path }]);
    };
    if (!sameJson(request.Data.Initiation, c.body.Initiation))
      return refuse(
        OB_ERROR_CODE.consentMismatch,
        "the Initiation differs from the consent's Initiation",
        'Data.Initiation',
      );
    const breach = controlParameterBreach(
      c,
      request.Data,
      deps.payments.byConsent(c.consentId),
      now(),
    );
    if (breach) return refuse(VRP_LIMIT_ERROR_CODE, breach.message, breach.path);

    const at = now().toISOString();
    const paymentId = PaymentStore.newId('vrp').slice(0, 40);
    const instructed = request.Data.Instruction.InstructedAmount as Amount;
    // The PSU's account, when the consent asked for it (ReadRefundAccount Yes).
    const refund =
      c.body.ReadRefundAccount === 'Yes'
        ? deps.payments.refundAccount(c.accountIds?.[0])
        : undefined;
    const data: Json = {
      DomesticVRPId: paymentId,
      ConsentId: c.consentId,
      CreationDateTime: at,
      Status: 'ACSC',
      StatusUpdateDateTime: at,
      ExpectedExecutionDateTime: at,
      ExpectedSettlementDateTime: at,
      ...(refund ? { Refund: refund } : {}),
      Initiation: request.Data.Initiation,
      Instruction: request.Data.Instruction,
    };
    deps.payments.add({
      kind: 'domestic-vrp',
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
    deps.ledger.record({
      type: 'vrp.created',
      clientId: token.clientId,
      consentId: c.consentId,
      paymentId,
      idempotencyKey,
    });
    sendCreated(
      deps,
      req,
      res,
      { Data: data, Links: link(`/domestic-vrps/${paymentId}`), Meta: {} },
      { faultAfterCommit: true },
    );
  });

  const ownVrp = (req: Request, res: Response) => {
    const p = deps.payments.get(String(req.params.DomesticVRPId));
    if (p && p.kind === 'domestic-vrp' && p.clientId === locals(res).token.clientId) return p;
    sendObError(res, 404, [
      { ErrorCode: OB_ERROR_CODE.resourceNotFound, Message: 'no such domestic VRP' },
    ]);
    return undefined;
  };
  router.get('/domestic-vrps/:DomesticVRPId', (req, res) => {
    const p = ownVrp(req, res);
    if (p) res.json({ Data: p.data, Links: link(`/domestic-vrps/${p.paymentId}`), Meta: {} });
  });
  router.get('/domestic-vrps/:DomesticVRPId/payment-details', (req, res) => {
    const p = ownVrp(req, res);
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
      Links: link(`/domestic-vrps/${p.paymentId}/payment-details`),
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

/** The first control parameter a VRP would break, or undefined when it is within them all. */
function controlParameterBreach(
  consent: StoredConsent,
  data: { VRPType?: string; Instruction: Json },
  earlier: { amount: string; createdAt: string }[],
  at: Date,
): { message: string; path: string } | undefined {
  const cp = consent.body.ControlParameters as ControlParameters;
  const amount = data.Instruction.InstructedAmount as Amount;
  // Absent only where the bank refuses the member (quirk refuseVrpType): the consent's type holds.
  if (data.VRPType !== undefined && !cp.VRPType.includes(data.VRPType))
    return {
      message: `VRPType ${data.VRPType} is not allowed by the consent`,
      path: 'Data.VRPType',
    };
  if (cp.ValidFromDateTime && Date.parse(cp.ValidFromDateTime) > at.getTime())
    return { message: 'the consent is not valid yet (ValidFromDateTime)', path: 'Data.ConsentId' };
  if (amount.Currency !== cp.MaximumIndividualAmount.Currency)
    return {
      message: 'the currency differs from the consent',
      path: 'Data.Instruction.InstructedAmount.Currency',
    };
  if (toMinor(amount.Amount) > toMinor(cp.MaximumIndividualAmount.Amount))
    return {
      message: 'the amount exceeds MaximumIndividualAmount',
      path: 'Data.Instruction.InstructedAmount.Amount',
    };
  const created = new Date(consent.createdAt);
  for (const limit of cp.PeriodicLimits) {
    const start = periodStart(limit, created, at).getTime();
    const spent = earlier
      .filter((p) => Date.parse(p.createdAt) >= start)
      .reduce((sum, p) => sum + toMinor(p.amount), 0);
    if (spent + toMinor(amount.Amount) > toMinor(limit.Amount))
      return {
        message: `the payment would exceed the ${limit.PeriodType} (${limit.PeriodAlignment}) periodic limit`,
        path: 'Data.Instruction.InstructedAmount.Amount',
      };
  }
  return undefined;
}
