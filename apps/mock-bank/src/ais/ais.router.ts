import { randomUUID } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { CONSENT_STATUS, ConsentStore, type StoredConsent } from '../consents/consent-store';
import type { SampleAccount } from '../data/sample-data';
import type { SpecValidator } from '../spec-validation/spec-validator';
import { OB_ERROR_CODE, sendObError } from './ob-error';
import { RESOURCE_PERMISSIONS, transactionDirections } from './permissions';
import { basicView } from './resource-views';

export const AIS_BASE_PATH = '/open-banking/v4.0/aisp';
export const AIS_OPERATIONS = [
  'CreateAccountAccessConsents',
  'GetAccountAccessConsentsConsentId',
  'DeleteAccountAccessConsentsConsentId',
  'GetAccounts',
  'GetAccountsAccountId',
  'GetTransactions',
  'GetAccountsAccountIdTransactions',
  'GetBalances',
  'GetAccountsAccountIdBalances',
];

/** The shape of VerifiedAccessToken (oidc/access-token-verifier.ts), injected for testability. */
export interface AisAccessToken {
  clientId: string;
  scopes: string[];
  grantType: 'client_credentials' | 'authorization_code';
  consentId?: string;
  expiresAt: number;
}

export interface AisLedgerEvent {
  type: 'ais.read' | 'spec.rejected';
  clientId?: string;
  consentId?: string;
  endpoint?: string;
  error?: string;
}

export interface AisRouterDeps {
  verifier: { verify(req: Request): Promise<AisAccessToken> };
  consents: ConsentStore;
  ledger: { record(event: AisLedgerEvent): void };
  spec: SpecValidator;
  /** Absolute origin for Links (the bank's issuer, e.g. https://localhost:8443). */
  baseUrl: string;
  /** Quirk: permissions this bank refuses in account-access consents. */
  unsupportedPermissions?: string[];
  accounts: SampleAccount[];
  /** The PSU as a party (GET /party). */
  psuParty: Record<string, unknown>;
  pageSize?: number;
  now?: () => Date;
}

type Locals = { token: AisAccessToken; consent?: StoredConsent };

/** AIS resource server (OB v4.0): consents with client-credentials tokens, reads with PSU tokens. */
export function aisRouter(deps: AisRouterDeps): Router {
  const now = deps.now ?? (() => new Date());
  const pageSize = deps.pageSize ?? 50;
  const router = Router();

  router.use((req, res, next) => {
    const given = req.header('x-fapi-interaction-id');
    res.setHeader('x-fapi-interaction-id', given && given.length > 0 ? given : randomUUID());
    next();
  });
  router.use(express.json({ type: ['application/json', 'application/*+json'] }));
  router.use((err: Error, _req: Request, res: Response, next: NextFunction) => {
    if (!('type' in err) || err.type !== 'entity.parse.failed') return next(err);
    sendObError(res, 400, [
      {
        ErrorCode: OB_ERROR_CODE.fieldInvalid,
        Message: 'the body is not valid JSON',
        Path: 'body',
      },
    ]);
  });

  router.use((req, res, next) => {
    const check = deps.spec.validate({
      method: req.method,
      path: req.path,
      query: req.query as Record<string, unknown>,
      headers: req.headers,
      body: req.method === 'POST' || req.method === 'PUT' ? req.body : undefined,
    });
    if (check.ok) return next();
    const reason = check.violations.map((v) => `${v.path}: ${v.message}`).join('; ');
    deps.ledger.record({
      type: 'spec.rejected',
      endpoint: `${req.method} ${req.path}`,
      error: reason,
    });
    sendObError(
      res,
      check.operationId ? 400 : 404,
      check.violations.map((v) => ({ ErrorCode: v.errorCode, Message: v.message, Path: v.path })),
    );
  });

  router.use((req, res, next) => {
    deps.verifier.verify(req).then(
      (token) => {
        (res.locals as Locals).token = token;
        next();
      },
      (err: unknown) => {
        const e = err as { status?: number; body?: unknown; wwwAuthenticate?: string };
        if (typeof e?.status !== 'number' || !e.body) return next(err);
        if (e.wwwAuthenticate) res.setHeader('www-authenticate', e.wwwAuthenticate);
        res.status(e.status).json(e.body);
      },
    );
  });

  const self = (req: Request) => `${deps.baseUrl}${req.originalUrl}`;

  // --- consents (client credentials) ---------------------------------------------------------
  const clientCredentials = (_req: Request, res: Response, next: NextFunction) => {
    const { token } = res.locals as Locals;
    if (token.grantType !== 'client_credentials' || !token.scopes.includes('accounts'))
      return sendObError(res, 403, [
        {
          ErrorCode: OB_ERROR_CODE.consentMismatch,
          Message: 'a client-credentials access token with the accounts scope is required',
        },
      ]);
    next();
  };
  const ownConsent = (req: Request, res: Response): StoredConsent | undefined => {
    const consent = deps.consents.get(String(req.params.ConsentId));
    const { token } = res.locals as Locals;
    if (!consent || consent.kind !== 'account-access' || consent.clientId !== token.clientId) {
      sendObError(res, 404, [
        { ErrorCode: OB_ERROR_CODE.resourceNotFound, Message: 'no such account-access consent' },
      ]);
      return undefined;
    }
    return consent;
  };
  const consentDocument = (req: Request, c: StoredConsent) => ({
    Data: { ...c.body, Status: c.status },
    Risk: {},
    Links: { Self: `${deps.baseUrl}${AIS_BASE_PATH}/account-access-consents/${c.consentId}` },
    Meta: {},
  });

  router.post('/account-access-consents', clientCredentials, (req, res) => {
    const { token } = res.locals as Locals;
    const data = (req.body as { Data: Record<string, unknown> }).Data;
    const consentId = ConsentStore.newId('aac');
    const at = now().toISOString();
    const permissions = data.Permissions as string[];
    const refused = permissions.filter((p) => deps.unsupportedPermissions?.includes(p));
    if (refused.length > 0)
      return sendObError(res, 400, [
        {
          ErrorCode: OB_ERROR_CODE.fieldInvalid,
          Message: `Permissions not supported by this bank: ${refused.join(', ')}`,
          Path: 'Data.Permissions',
        },
      ]);
    const body: Record<string, unknown> = {
      ConsentId: consentId,
      CreationDateTime: at,
      Status: CONSENT_STATUS.awaitingAuthorisation,
      StatusUpdateDateTime: at,
      Permissions: permissions,
    };
    for (const key of ['ExpirationDateTime', 'TransactionFromDateTime', 'TransactionToDateTime'])
      if (data[key] !== undefined) body[key] = data[key];
    const consent = deps.consents.create({
      consentId,
      kind: 'account-access',
      clientId: token.clientId,
      status: CONSENT_STATUS.awaitingAuthorisation,
      permissions,
      body,
    });
    res.status(201).json(consentDocument(req, consent));
  });

  router.get('/account-access-consents/:ConsentId', clientCredentials, (req, res) => {
    const consent = ownConsent(req, res);
    if (consent) res.json(consentDocument(req, consent));
  });

  router.delete('/account-access-consents/:ConsentId', clientCredentials, (req, res) => {
    const consent = ownConsent(req, res);
    if (!consent) return;
    deps.consents.revoke(consent.consentId);
    res.status(204).end();
  });

  // --- reads (PSU token bound to an authorised consent) ----------------------------------------
  const authorisedConsent = (_req: Request, res: Response, next: NextFunction) => {
    const { token } = res.locals as Locals;
    const consent =
      token.grantType === 'authorization_code' && token.consentId
        ? deps.consents.get(token.consentId)
        : undefined;
    if (!consent || consent.kind !== 'account-access' || consent.clientId !== token.clientId)
      return sendObError(res, 403, [
        {
          ErrorCode: OB_ERROR_CODE.consentMismatch,
          Message: 'the access token is not for an account-access consent of this client',
        },
      ]);
    const expiry = consent.body.ExpirationDateTime;
    if (
      consent.status === CONSENT_STATUS.authorised &&
      typeof expiry === 'string' &&
      Date.parse(expiry) <= now().getTime()
    )
      consent.status = deps.consents.update(consent.consentId, {
        status: CONSENT_STATUS.expired,
      }).status;
    if (consent.status !== CONSENT_STATUS.authorised)
      return sendObError(res, 403, [
        {
          ErrorCode: OB_ERROR_CODE.consentInvalidStatus,
          Message: `the consent has status ${consent.status}; only an authorised consent gives access`,
        },
      ]);
    (res.locals as Locals).consent = consent;
    next();
  };

  const consentedAccounts = (consent: StoredConsent) =>
    deps.accounts.filter((a) => (consent.accountIds ?? []).includes(a.accountId));

  const read = (resource: string, perAccount: boolean) => (req: Request, res: Response) => {
    const { token, consent } = res.locals as Required<Locals>;
    const permissions = consent.permissions ?? [];
    const needed = RESOURCE_PERMISSIONS[resource];
    const directions = transactionDirections(permissions);
    if (
      !needed.some((p) => permissions.includes(p)) ||
      (resource === 'transactions' && !directions.credits && !directions.debits)
    )
      return sendObError(res, 403, [
        {
          ErrorCode: OB_ERROR_CODE.permissionMissing,
          Message: `the consent does not grant ${needed.join(' or ')}${resource === 'transactions' ? ' with ReadTransactionsCredits or ReadTransactionsDebits' : ''}`,
        },
      ]);
    let accounts = consentedAccounts(consent);
    if (perAccount) {
      accounts = accounts.filter((a) => a.accountId === req.params.AccountId);
      if (accounts.length === 0)
        return sendObError(res, 403, [
          {
            ErrorCode: OB_ERROR_CODE.consentMismatch,
            Message: 'the account is not part of this consent',
            Path: 'AccountId',
          },
        ]);
    }
    deps.ledger.record({
      type: 'ais.read',
      clientId: token.clientId,
      consentId: consent.consentId,
      endpoint: `${req.method} ${req.route?.path as string}`,
    });
    const detail = (basic: string) => permissions.includes(basic.replace('Basic', 'Detail'));
    const links = { Self: self(req) };

    if (resource === 'party' && !perAccount)
      return void res.json({ Data: { Party: deps.psuParty }, Links: links, Meta: {} });
    if (resource === 'party')
      return void res.json({ Data: { Party: accounts[0].parties[0] }, Links: links, Meta: {} });
    if (resource === 'product' || resource === 'products')
      return void res.json({
        Data: { Product: accounts.map((a) => a.product) },
        Links: links,
        Meta: { TotalPages: 1 },
      });

    const view = VIEWS[resource];
    let items = accounts.flatMap((a) => view.pick(a));
    if (view.basicPermission && !detail(view.basicPermission))
      items = items.map((item) => basicView(resource, item));
    if (resource === 'transactions') {
      const from = parseTime(req.query.fromBookingDateTime);
      const to = parseTime(req.query.toBookingDateTime);
      items = items.filter((t) => {
        const booked = Date.parse(t.BookingDateTime as string);
        const dir = t.CreditDebitIndicator === 'Credit' ? directions.credits : directions.debits;
        return dir && (from === undefined || booked >= from) && (to === undefined || booked <= to);
      });
    }
    const page = paginate(items, req, pageSize, self(req));
    if (!page)
      return sendObError(res, 400, [
        { ErrorCode: OB_ERROR_CODE.fieldInvalid, Message: 'no such page', Path: 'page' },
      ]);
    res.json({
      Data: { [view.key]: page.items },
      Links: page.links,
      Meta: { TotalPages: page.totalPages },
    });
  };

  for (const resource of [
    'accounts',
    'balances',
    'transactions',
    'beneficiaries',
    'direct-debits',
    'standing-orders',
    'scheduled-payments',
    'statements',
    'products',
    'offers',
    'party',
  ]) {
    router.get(`/${resource}`, authorisedConsent, read(resource, false));
  }
  router.get('/accounts/:AccountId', authorisedConsent, read('accounts', true));
  for (const resource of [
    'balances',
    'transactions',
    'beneficiaries',
    'direct-debits',
    'standing-orders',
    'scheduled-payments',
    'statements',
    'product',
    'offers',
    'parties',
    'party',
  ]) {
    router.get(`/accounts/:AccountId/${resource}`, authorisedConsent, read(resource, true));
  }
  router.use((_req, res) =>
    sendObError(res, 404, [
      { ErrorCode: OB_ERROR_CODE.resourceNotFound, Message: 'not supported by the mock bank' },
    ]),
  );
  return router;
}

type Item = Record<string, unknown>;
const VIEWS: Record<
  string,
  { key: string; pick: (a: SampleAccount) => Item[]; basicPermission?: string }
> = {
  accounts: { key: 'Account', pick: (a) => [a.account], basicPermission: 'ReadAccountsBasic' },
  balances: { key: 'Balance', pick: (a) => a.balances },
  transactions: {
    key: 'Transaction',
    pick: (a) => a.transactions,
    basicPermission: 'ReadTransactionsBasic',
  },
  beneficiaries: {
    key: 'Beneficiary',
    pick: (a) => a.beneficiaries,
    basicPermission: 'ReadBeneficiariesBasic',
  },
  'direct-debits': { key: 'DirectDebit', pick: (a) => a.directDebits },
  'standing-orders': {
    key: 'StandingOrder',
    pick: (a) => a.standingOrders,
    basicPermission: 'ReadStandingOrdersBasic',
  },
  'scheduled-payments': {
    key: 'ScheduledPayment',
    pick: (a) => a.scheduledPayments,
    basicPermission: 'ReadScheduledPaymentsBasic',
  },
  statements: {
    key: 'Statement',
    pick: (a) => a.statements,
    basicPermission: 'ReadStatementsBasic',
  },
  offers: { key: 'Offer', pick: (a) => a.offers },
  parties: { key: 'Party', pick: (a) => a.parties },
};

function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** `page` (1-based) is the bank's own paging parameter; links are absolute bank URLs. */
function paginate(items: Item[], req: Request, size: number, selfUrl: string) {
  const totalPages = Math.max(1, Math.ceil(items.length / size));
  const raw = req.query.page;
  const page = raw === undefined ? 1 : Number(raw);
  if (!Number.isInteger(page) || page < 1 || page > totalPages) return undefined;
  const at = (n: number) => {
    const url = new URL(selfUrl);
    url.searchParams.set('page', String(n));
    return url.toString();
  };
  const links: Record<string, string> = { Self: selfUrl };
  if (totalPages > 1) {
    links.First = at(1);
    links.Last = at(totalPages);
    if (page > 1) links.Prev = at(page - 1);
    if (page < totalPages) links.Next = at(page + 1);
  }
  return { items: items.slice((page - 1) * size, page * size), links, totalPages };
}
