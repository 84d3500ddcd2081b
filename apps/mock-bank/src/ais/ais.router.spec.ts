import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { ConsentStore } from '../consents/consent-store';
import { sampleAccounts, sampleParty } from '../data/sample-data';
import { SpecValidator } from '../spec-validation/spec-validator';
import { SPECS_DIR } from '../testing/test-bank';
import {
  AIS_BASE_PATH,
  AIS_OPERATIONS,
  aisRouter,
  type AisAccessToken,
  type AisLedgerEvent,
} from './ais.router';

const spec = SpecValidator.load(join(SPECS_DIR, 'v4.0/account-info-openapi.json'), {
  expectedOperations: AIS_OPERATIONS,
  bankQueryParameters: ['page'],
});
const BASE = 'https://bank.example';

/** Tokens are "cc:<client>" or "psu:<client>:<consentId>"; anything else is refused with 401. */
const fakeVerifier = {
  verify: (req: express.Request): Promise<AisAccessToken> => {
    const [kind, clientId, consentId] = (req.header('authorization') ?? '')
      .replace('Bearer ', '')
      .split(':');
    if (kind === 'cc')
      return Promise.resolve({
        clientId,
        scopes: ['accounts'],
        grantType: 'client_credentials',
        expiresAt: 0,
      });
    if (kind === 'psu')
      return Promise.resolve({
        clientId,
        scopes: ['accounts'],
        grantType: 'authorization_code',
        consentId,
        expiresAt: 0,
      });
    return Promise.reject(
      Object.assign(new Error('bad'), { status: 401, body: { Errors: [{ ErrorCode: 'U001' }] } }),
    );
  },
};

function setup(options: { unsupportedPermissions?: string[]; delayMs?: number } = {}) {
  const consents = new ConsentStore(undefined, options.delayMs ?? 0);
  const events: AisLedgerEvent[] = [];
  const accounts = sampleAccounts(new Date('2025-06-15T00:00:00Z'));
  const app = express();
  app.use(
    AIS_BASE_PATH,
    aisRouter({
      verifier: fakeVerifier,
      consents,
      ledger: { record: (e) => events.push(e) },
      spec,
      baseUrl: BASE,
      accounts,
      psuParty: sampleParty,
      unsupportedPermissions: options.unsupportedPermissions,
    }),
  );
  const authorised = (permissions: string[], accountIds = [accounts[0].accountId]) => {
    const c = consents.create({
      consentId: `c-${permissions.length}-${Math.random()}`,
      kind: 'account-access',
      clientId: 'tpp',
      status: 'AWAU',
      permissions,
      body: {},
    });
    consents.authorise(c.consentId, { psuId: 'psu', accountIds });
    return c.consentId;
  };
  return { app, consents, events, accounts, authorised };
}

describe('AIS resource server', () => {
  const create = (app: express.Express, permissions: string[]) =>
    request(app)
      .post(`${AIS_BASE_PATH}/account-access-consents`)
      .set('authorization', 'Bearer cc:tpp')
      .send({ Data: { Permissions: permissions }, Risk: {} });

  it('quirk accountAccess.unsupportedPermissions: refuses a consent naming one, 400 U002', async () => {
    const { app } = setup({ unsupportedPermissions: ['ReadOffers', 'ReadParty'] });
    const refused = await create(app, ['ReadAccountsDetail', 'ReadOffers']);
    expect(refused.status).toBe(400);
    expect(refused.body.Errors[0]).toMatchObject({ ErrorCode: 'U002', Path: 'Data.Permissions' });
    expect(refused.body.Errors[0].Message).toContain('ReadOffers');
    expect((await create(app, ['ReadAccountsDetail'])).status).toBe(201);
    // The standard bank takes it.
    expect((await create(setup().app, ['ReadAccountsDetail', 'ReadOffers'])).status).toBe(201);
  });

  it('quirk postCreateConsentDelayMs: a new consent is unknown until the delay has passed', async () => {
    const { app } = setup({ delayMs: 60_000 });
    const created = await create(app, ['ReadAccountsDetail']);
    expect(created.status).toBe(201);
    const got = await request(app)
      .get(`${AIS_BASE_PATH}/account-access-consents/${created.body.Data.ConsentId as string}`)
      .set('authorization', 'Bearer cc:tpp');
    expect(got.status).toBe(404);
  });

  it('creates, reads and deletes a consent with a client-credentials token', async () => {
    const { app, consents } = setup();
    const created = await request(app)
      .post(`${AIS_BASE_PATH}/account-access-consents`)
      .set('authorization', 'Bearer cc:tpp')
      .set('x-fapi-interaction-id', 'abc-123')
      .send({ Data: { Permissions: ['ReadAccountsDetail', 'ReadBalances'] }, Risk: {} });
    expect(created.status).toBe(201);
    expect(created.headers['x-fapi-interaction-id']).toBe('abc-123');
    const id = created.body.Data.ConsentId as string;
    expect(created.body.Data).toMatchObject({
      Status: 'AWAU',
      Permissions: ['ReadAccountsDetail', 'ReadBalances'],
    });
    expect(created.body.Links.Self).toBe(`${BASE}${AIS_BASE_PATH}/account-access-consents/${id}`);
    expect(spec.validateResponse('CreateAccountAccessConsents', 201, created.body)).toEqual([]);

    const got = await request(app)
      .get(`${AIS_BASE_PATH}/account-access-consents/${id}`)
      .set('authorization', 'Bearer cc:tpp');
    expect(got.status).toBe(200);
    expect(got.headers['x-fapi-interaction-id']).toMatch(/^[0-9a-f-]{36}$/);
    const other = await request(app)
      .get(`${AIS_BASE_PATH}/account-access-consents/${id}`)
      .set('authorization', 'Bearer cc:someone-else');
    expect(other.status).toBe(404);

    const del = await request(app)
      .delete(`${AIS_BASE_PATH}/account-access-consents/${id}`)
      .set('authorization', 'Bearer cc:tpp');
    expect(del.status).toBe(204);
    expect(consents.get(id)?.status).toBe('CANC');
  });

  it('refuses a body the spec rejects with an OB error and records it', async () => {
    const { app, events } = setup();
    const res = await request(app)
      .post(`${AIS_BASE_PATH}/account-access-consents`)
      .set('authorization', 'Bearer cc:tpp')
      .send({ Data: { Permissions: ['ReadEverything'] }, Risk: {} });
    expect(res.status).toBe(400);
    expect(res.body.Errors[0]).toMatchObject({ ErrorCode: 'U002', Path: 'Data.Permissions[0]' });
    expect(spec.validateResponse('CreateAccountAccessConsents', 400, res.body)).toEqual([]);
    expect(events).toEqual([expect.objectContaining({ type: 'spec.rejected' })]);
  });

  it('reads accounts within the consent and counts reads', async () => {
    const { app, events, authorised, accounts } = setup();
    const id = authorised(['ReadAccountsDetail']);
    const res = await request(app)
      .get(`${AIS_BASE_PATH}/accounts`)
      .set('authorization', `Bearer psu:tpp:${id}`);
    expect(res.status).toBe(200);
    expect(res.body.Data.Account).toEqual([accounts[0].account]);
    expect(spec.validateResponse('GetAccounts', 200, res.body)).toEqual([]);
    expect(events).toEqual([
      expect.objectContaining({ type: 'ais.read', consentId: id, endpoint: 'GET /accounts' }),
    ]);

    const notConsented = await request(app)
      .get(`${AIS_BASE_PATH}/accounts/${accounts[1].accountId}`)
      .set('authorization', `Bearer psu:tpp:${id}`);
    expect(notConsented.status).toBe(403);
    const noPermission = await request(app)
      .get(`${AIS_BASE_PATH}/balances`)
      .set('authorization', `Bearer psu:tpp:${id}`);
    expect(noPermission.status).toBe(403);
    expect(spec.validateResponse('GetBalances', 403, noPermission.body)).toEqual([]);
  });

  it('pages transactions with absolute links and filters by booking date and direction', async () => {
    const { app, authorised, accounts } = setup();
    const id = authorised([
      'ReadTransactionsDetail',
      'ReadTransactionsCredits',
      'ReadTransactionsDebits',
    ]);
    const url = `${AIS_BASE_PATH}/accounts/${accounts[0].accountId}/transactions`;
    const first = await request(app).get(url).set('authorization', `Bearer psu:tpp:${id}`);
    expect(first.status).toBe(200);
    const total = accounts[0].transactions.length;
    expect(first.body.Data.Transaction).toHaveLength(50);
    expect(first.body.Meta.TotalPages).toBe(Math.ceil(total / 50));
    expect(first.body.Links.Next).toBe(`${BASE}${url}?page=2`);
    expect(first.body.Links.Prev).toBeUndefined();
    expect(spec.validateResponse('GetAccountsAccountIdTransactions', 200, first.body)).toEqual([]);
    const second = await request(app)
      .get(new URL(first.body.Links.Next).pathname + '?page=2')
      .set('authorization', `Bearer psu:tpp:${id}`);
    expect(second.body.Data.Transaction[0]).toEqual(accounts[0].transactions[50]);
    expect(second.body.Links.Prev).toBe(`${BASE}${url}?page=1`);

    const from = '2025-06-01T00:00:00Z';
    const filtered = await request(app)
      .get(`${url}?fromBookingDateTime=${from}`)
      .set('authorization', `Bearer psu:tpp:${id}`);
    const expected = accounts[0].transactions.filter(
      (t) => Date.parse(t.BookingDateTime as string) >= Date.parse(from),
    );
    expect(filtered.body.Data.Transaction).toEqual(expected);

    const creditsOnly = authorised(['ReadTransactionsBasic', 'ReadTransactionsCredits']);
    const credits = await request(app)
      .get(`${AIS_BASE_PATH}/transactions`)
      .set('authorization', `Bearer psu:tpp:${creditsOnly}`);
    expect(credits.body.Data.Transaction.length).toBeGreaterThan(0);
    for (const t of credits.body.Data.Transaction) {
      expect(t.CreditDebitIndicator).toBe('Credit');
      expect(t.TransactionInformation).toBeUndefined();
    }
  });

  it('refuses a revoked consent and an invalid token', async () => {
    const { app, consents, authorised } = setup();
    const id = authorised(['ReadAccountsBasic']);
    consents.revoke(id);
    const res = await request(app)
      .get(`${AIS_BASE_PATH}/accounts`)
      .set('authorization', `Bearer psu:tpp:${id}`)
      .set('x-fapi-interaction-id', 'x-1');
    expect(res.status).toBe(403);
    expect(res.headers['x-fapi-interaction-id']).toBe('x-1');
    expect(res.body.Errors[0].Message).toMatch(/CANC/);
    const bad = await request(app)
      .get(`${AIS_BASE_PATH}/accounts`)
      .set('authorization', 'Bearer nonsense');
    expect(bad.status).toBe(401);
  });
});
