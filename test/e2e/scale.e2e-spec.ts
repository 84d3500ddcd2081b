import { AUTHORISED_CONSENT_TTL_MS } from '../../libs/account-access/src/consents/account-access-consent.repository';
import { randomUUID } from 'node:crypto';
import { ApiResponse } from '../support/api-client';
import {
  authoriseAccountAccess,
  authoriseConsent,
  CREDITOR,
  domesticPaymentConsent,
  registrationJourney,
  RegistrationJourneyResult,
  sweepingVrpConsent,
  sweepingVrpPayment,
} from '../support/journeys';
import { describeWithPostgres } from '../support/postgres';
import { RoundRobinApiClient, RoutedRequest } from '../support/round-robin';
import {
  ConnectorHandle,
  MockBankHandle,
  Sandbox,
  SANDBOX_REDIRECT,
  startSandbox,
} from '../support/sandbox';

jest.setTimeout(300_000);

const REPLICAS = 3;

interface ObList {
  Data: Record<string, unknown[]>;
  Links: { Self: string; Next?: string; Prev?: string };
}

interface Created {
  id: string;
  externalApiId: string;
  status: string;
  code?: string;
}

interface BankPayment {
  kind: string;
  paymentId: string;
  consentId: string;
  idempotencyKey: string;
}

/**
 * Horizontal scale: three connector processes on one PostgreSQL database behind a round-robin
 * client, so each step of the AIS, PIS and VRP journeys lands on another replica than the step
 * before. Auth contexts, consent tokens, idempotency records and the per-replica caches must
 * all be correct whichever replica serves a call.
 */
describeWithPostgres('three replicas behind a round-robin client (PostgreSQL, mTLS)', () => {
  let sandbox: Sandbox;
  let bank: MockBankHandle;
  let replicas: ConnectorHandle[];
  let api: RoundRobinApiClient;
  let registration: RegistrationJourneyResult;

  beforeAll(async () => {
    sandbox = await startSandbox({
      tempPrefix: 'obc-e2e-scale-',
      replicas: REPLICAS,
      // One at a time: three cold starts at once on a busy two-core machine only compete.
      startOneAtATime: true,
    });
    ({ bank, connectors: replicas } = sandbox);
    api = new RoundRobinApiClient(replicas.map((r) => r.api));
    registration = await registrationJourney(api, sandbox.pki, { redirectUri: SANDBOX_REDIRECT });
  });

  afterAll(() => sandbox?.stop());

  const grants = async (type: string) => (await bank.ledger()).counts.tokenGrants[type] ?? 0;
  const bankPayments = async (consentId: string) =>
    (await bank.admin<{ payments: BankPayment[] }>('/payments')).payments.filter(
      (p) => p.consentId === consentId,
    );

  /** Every step of a journey went to another replica than the step before, and all were used. */
  function expectSpreadOverReplicas(steps: RoutedRequest[]): void {
    expect(steps.length).toBeGreaterThanOrEqual(REPLICAS);
    for (let i = 1; i < steps.length; i += 1)
      expect([i, steps[i].replica]).not.toEqual([i, steps[i - 1].replica]);
    expect(new Set(steps.map((s) => s.replica)).size).toBe(REPLICAS);
  }

  function expectStatus(res: ApiResponse, status: number): void {
    expect([res.status, res.text.slice(0, 400)]).toEqual([status, res.text.slice(0, 400)]);
  }

  it('the registration journey itself went round the replicas', () => {
    expectSpreadOverReplicas(api.routed);
    expect(api.routed.every((r) => r.status < 300)).toBe(true);
  });

  it('AIS: consent, auth context, redirect delegate and paginated reads, each on another replica', async () => {
    const mark = api.routed.length;
    const codeGrants = await grants('authorization_code');
    const consent = await authoriseAccountAccess(api, bank, registration.bankRegistrationId);
    // Consent on one replica, auth context on the next, the delegate (state lookup, ID-token
    // check, code exchange) on the third: one code exchange at the bank.
    expect(consent.steps.map((s) => s.status)).toEqual([201, 201, 200]);
    expect(new Set(api.since(mark).map((r) => r.replica)).size).toBe(REPLICAS);
    expect((await grants('authorization_code')) - codeGrants).toBe(1);

    const headers = { 'x-account-access-consent-id': consent.consentId };
    // Every replica sees the consent authorised (no replica serves a stale status).
    for (let i = 0; i < REPLICAS; i += 1) {
      const got = await api.get<{ status: string }>(
        `/v1/aisp/account-access-consents/${consent.consentId}`,
      );
      expectStatus(got, 200);
      expect(got.body.status).toBe('AUTH');
    }

    const accounts = await api.get<ObList>('/v1/aisp/accounts', headers);
    expectStatus(accounts, 200);
    const accountId = (accounts.body.Data.Account as { AccountId: string }[])[0].AccountId;
    const first = await api.get<ObList>(`/v1/aisp/accounts/${accountId}/transactions`, headers);
    expectStatus(first, 200);
    const firstReplica = api.routed[api.routed.length - 1].replica;
    // The connector rewrote the bank's Links to the replica that served the page.
    expect(api.replicaOf(first.body.Links.Self)).toBe(firstReplica);
    expect(first.body.Links.Next).toBeDefined();
    // Page two from the Next link, sent to the next replica.
    const second = await api.get<ObList>(api.pathOf(first.body.Links.Next!), headers);
    expectStatus(second, 200);
    const secondReplica = api.routed[api.routed.length - 1].replica;
    expect(secondReplica).not.toBe(firstReplica);
    expect(api.replicaOf(second.body.Links.Self)).toBe(secondReplica);
    const ids = (r: ApiResponse<ObList>) =>
      (r.body.Data.Transaction as { TransactionId: string }[]).map((t) => t.TransactionId);
    expect(ids(second).length).toBeGreaterThan(0);
    expect(ids(second).some((id) => ids(first).includes(id))).toBe(false);
    // Back to page one from page two's Prev, on a third replica: the same transactions.
    const back = await api.get<ObList>(api.pathOf(second.body.Links.Prev!), headers);
    expectStatus(back, 200);
    expect(ids(back)).toEqual(ids(first));
    expectSpreadOverReplicas(api.since(mark));
  });

  it('auth contexts are single use across replicas: a redirect replayed on another replica is refused', async () => {
    const created = await api.post<{ id: string }>('/v1/aisp/account-access-consents', {
      bankRegistrationId: registration.bankRegistrationId,
      templateRequest: { type: 'MaximumPermissions' },
    });
    expectStatus(created, 201);
    const ctx = await api.post<{ authUrl: string }>(
      `/v1/aisp/account-access-consents/${created.body.id}/auth-contexts`,
      {},
    );
    expectStatus(ctx, 201);
    const { redirectUrl } = await bank.admin<{ redirectUrl: string }>('/authorise', {
      authUrl: ctx.body.authUrl,
      decision: 'approve',
    });
    const params = Object.fromEntries(new URLSearchParams(new URL(redirectUrl).hash.slice(1)));
    const codeGrants = await grants('authorization_code');
    // The same redirect delivered to two replicas at once: one wins, the other is refused.
    const [x, y] = await Promise.all([
      replicas[0].api.post<{ code?: string }>('/v1/auth/redirect-delegate', params),
      replicas[1].api.post<{ code?: string }>('/v1/auth/redirect-delegate', params),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 400]);
    expect([x, y].find((r) => r.status === 400)?.body.code).toBe('auth/unknown-state');
    const replay = await replicas[2].api.post<{ code?: string }>(
      '/v1/auth/redirect-delegate',
      params,
    );
    expect(replay.status).toBe(400);
    expect(replay.body.code).toBe('auth/unknown-state');
    expect((await grants('authorization_code')) - codeGrants).toBe(1);
  });

  it('consent tokens: one refresh for 60 concurrent reads spread over the replicas after the bank expired the token', async () => {
    const consent = await authoriseAccountAccess(api, bank, registration.bankRegistrationId);
    const headers = { 'x-account-access-consent-id': consent.consentId };
    // Each replica reads once, so each holds the access token in its memory cache.
    for (let i = 0; i < REPLICAS; i += 1)
      expectStatus(await api.get('/v1/aisp/accounts', headers), 200);
    const before = await grants('refresh_token');
    await bank.admin('/tokens/expire', { consentId: consent.externalApiId });
    const results = await Promise.all(
      Array.from({ length: 60 }, () => api.get('/v1/aisp/accounts', headers)),
    );
    expect(results.filter((r) => r.status !== 200).map((r) => r.text.slice(0, 300))).toEqual([]);
    expect((await grants('refresh_token')) - before).toBe(1);
    // And afterwards every replica serves from the refreshed token without another refresh.
    for (let i = 0; i < REPLICAS; i += 1)
      expectStatus(await api.get('/v1/aisp/accounts', headers), 200);
    expect((await grants('refresh_token')) - before).toBe(1);
  });

  it('caches: a consent deleted on one replica is refused by the others, which had its token cached', async () => {
    const consent = await authoriseAccountAccess(api, bank, registration.bankRegistrationId);
    const headers = { 'x-account-access-consent-id': consent.consentId };
    for (const r of replicas) expectStatus(await r.api.get('/v1/aisp/accounts', headers), 200);
    const deleted = await replicas[0].api.delete(
      `/v1/aisp/account-access-consents/${consent.consentId}`,
    );
    expectStatus(deleted, 204);
    // Within the authorised-consent cache's lifetime another replica may still look the consent
    // up from memory: the bank (which revoked it) refuses, so no data is served either way.
    for (const r of replicas.slice(1)) {
      const res = await r.api.get<{ code?: string }>('/v1/aisp/accounts', headers);
      expect([
        [404, 'account-access-consent/not-found'],
        [403, 'consent/not-authorised'],
      ]).toContainEqual([res.status, res.body.code]);
    }
    // Once that cache has expired, every replica answers from the database: not found.
    await new Promise((r) => setTimeout(r, AUTHORISED_CONSENT_TTL_MS + 500));
    for (const r of replicas.slice(1)) {
      const res = await r.api.get<{ code?: string }>('/v1/aisp/accounts', headers);
      expect([res.status, res.body.code]).toEqual([404, 'account-access-consent/not-found']);
    }
  });

  it('client-credentials tokens are cached per replica: more consents on warm replicas ask the bank for none', async () => {
    // Warm: every replica has created a consent (the loop above and the journeys).
    const create = () =>
      api.post<{ id: string }>('/v1/aisp/account-access-consents', {
        bankRegistrationId: registration.bankRegistrationId,
        templateRequest: { type: 'MaximumPermissions' },
      });
    for (let i = 0; i < REPLICAS; i += 1) expectStatus(await create(), 201);
    const before = await grants('client_credentials');
    for (let i = 0; i < 2 * REPLICAS; i += 1) expectStatus(await create(), 201);
    expect(await grants('client_credentials')).toBe(before);
  });

  /** A payment consent request; the same `ref` and amount make the same body (for replays). */
  function paymentConsent(amount: string, key: string, ref = key.slice(0, 8)) {
    return api.post<Created>(
      '/v1/pisp/domestic-payment-consents',
      domesticPaymentConsent(registration.bankRegistrationId, amount, ref),
      { 'idempotency-key': key },
    );
  }

  it('PIS: consent, auth, funds confirmation, payment and read on rotating replicas; one payment for one key sent to two replicas at once', async () => {
    const mark = api.routed.length;
    const consentKey = randomUUID();
    const consent = await paymentConsent('12.34', consentKey);
    expectStatus(consent, 201);
    await authoriseConsent(
      api,
      bank,
      `/v1/pisp/domestic-payment-consents/${consent.body.id}/auth-contexts`,
    );
    const funds = await api.get(
      `/v1/pisp/domestic-payment-consents/${consent.body.id}/funds-confirmation`,
    );
    expectStatus(funds, 200);
    expect(funds.text).toContain('FundsAvailable');
    expectSpreadOverReplicas(api.since(mark));

    const key = randomUUID();
    const body = { domesticPaymentConsentId: consent.body.id };
    const headers = { 'idempotency-key': key };
    // The same key on two replicas at the same moment: one payment at the bank.
    const [x, y] = await Promise.all([
      replicas[0].api.post<Created>('/v1/pisp/domestic-payments', body, headers),
      replicas[1].api.post<Created>('/v1/pisp/domestic-payments', body, headers),
    ]);
    const ok = [x, y].filter((r) => r.status === 201);
    expect(ok.length).toBeGreaterThan(0);
    for (const r of [x, y].filter((res) => res.status !== 201))
      expect([r.status, r.body.code]).toEqual([409, 'idempotency/in-progress']);
    // A retry on the third replica answers with the same payment.
    const retry = await replicas[2].api.post<Created>('/v1/pisp/domestic-payments', body, headers);
    expectStatus(retry, 201);
    expect(new Set([...ok, retry].map((r) => r.body.id)).size).toBe(1);
    expect(await bankPayments(consent.body.externalApiId)).toHaveLength(1);

    // The payment read on every replica.
    for (let i = 0; i < REPLICAS; i += 1) {
      const read = await api.get<Created>(`/v1/pisp/domestic-payments/${retry.body.id}`);
      expectStatus(read, 200);
      expect(read.body.externalApiId).toBe(retry.body.externalApiId);
    }
    // The consent's idempotency key replayed on another replica: the same consent, no second one.
    const consentAgain = await paymentConsent('12.34', consentKey);
    expectStatus(consentAgain, 201);
    expect(consentAgain.body.id).toBe(consent.body.id);
  });

  it('VRP: consent, auth and two payments on rotating replicas; a payment key sent to two replicas at once pays once', async () => {
    const mark = api.routed.length;
    const initiation = { CreditorAccount: CREDITOR };
    const consent = await api.post<Created>(
      '/v1/vrp/domestic-vrp-consents',
      sweepingVrpConsent(registration.bankRegistrationId, initiation),
      { 'idempotency-key': randomUUID() },
    );
    expectStatus(consent, 201);
    await authoriseConsent(
      api,
      bank,
      `/v1/vrp/domestic-vrp-consents/${consent.body.id}/auth-contexts`,
    );
    const payment = (n: number) =>
      sweepingVrpPayment(consent.body.id, initiation, '20.00', String(n));
    const first = await api.post<Created>('/v1/vrp/domestic-vrps', payment(1), {
      'idempotency-key': randomUUID(),
    });
    expectStatus(first, 201);
    const second = await api.post<Created>('/v1/vrp/domestic-vrps', payment(2), {
      'idempotency-key': randomUUID(),
    });
    expectStatus(second, 201);
    expect(second.body.id).not.toBe(first.body.id);
    expectSpreadOverReplicas(api.since(mark));
    expect(await bankPayments(consent.body.externalApiId)).toHaveLength(2);

    // A third payment's key sent to two replicas at once, then retried on the third.
    const key = { 'idempotency-key': randomUUID() };
    const [x, y] = await Promise.all([
      replicas[1].api.post<Created>('/v1/vrp/domestic-vrps', payment(3), key),
      replicas[2].api.post<Created>('/v1/vrp/domestic-vrps', payment(3), key),
    ]);
    const ok = [x, y].filter((r) => r.status === 201);
    expect(ok.length).toBeGreaterThan(0);
    for (const r of [x, y].filter((res) => res.status !== 201))
      expect([r.status, r.body.code]).toEqual([409, 'idempotency/in-progress']);
    const retry = await replicas[0].api.post<Created>('/v1/vrp/domestic-vrps', payment(3), key);
    expectStatus(retry, 201);
    expect(new Set([...ok, retry].map((r) => r.body.id)).size).toBe(1);
    expect(await bankPayments(consent.body.externalApiId)).toHaveLength(3);
  });

  it('the bank refused nothing any replica sent as against the OB specification', async () => {
    const ledger = await bank.ledger();
    expect(ledger.events.filter((e) => e.type === 'spec.rejected')).toEqual([]);
    for (const r of replicas) expect(r.process.child.exitCode).toBeNull();
  });
});
