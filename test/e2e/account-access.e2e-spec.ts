import { Client } from 'pg';
import { LoadedPki } from '../../apps/mock-bank/src/pki';
import { ApiResponse } from '../support/api-client';
import {
  authoriseAccountAccess,
  AuthorisedConsent,
  redirectParameters,
  RegistrationJourneyResult,
} from '../support/journeys';
import { describeWithPostgres, TestDatabase } from '../support/postgres';
import { ConnectorHandle, MockBankHandle, Sandbox, startSandbox } from '../support/sandbox';

jest.setTimeout(180_000);

interface ObList {
  Data: Record<string, unknown[]>;
  Links: { Self: string; First?: string; Next?: string; Prev?: string; Last?: string };
  Meta?: { TotalPages?: number };
}

/**
 * Account access end to end over real mTLS: two connector processes on one PostgreSQL database
 * (the second with a one-second auth-context TTL), the mock bank as a separate process.
 */
describeWithPostgres('account access end to end (PostgreSQL, mTLS, two replicas)', () => {
  let sandbox: Sandbox;
  let pki: LoadedPki;
  let bank: MockBankHandle;
  let db: TestDatabase;
  let a: ConnectorHandle;
  let b: ConnectorHandle;
  let registration: RegistrationJourneyResult;
  let consent: AuthorisedConsent;

  beforeAll(async () => {
    // The bank's access tokens live 300 s; the connectors treat them as expired 5 s after issue
    // (early expiry 295 s), so the time-based refresh is exercised without waiting minutes.
    const tokens = { TOKEN_EARLY_EXPIRY_SECONDS: '295' };
    sandbox = await startSandbox({
      tempPrefix: 'obc-e2e-ais-',
      replicas: 2,
      connectorEnv: (_bank, replica) =>
        replica === 0 ? tokens : { ...tokens, AUTH_CONTEXT_TTL_SECONDS: '1' },
      register: true,
    });
    ({ pki, bank, db, registration } = sandbox);
    [a, b] = sandbox.connectors;
    consent = await authoriseAccountAccess(a.api, bank, registration.bankRegistrationId);
  });

  afterAll(() => sandbox?.stop());

  const read = (c: ConnectorHandle, path: string, consentId = consent.consentId) =>
    c.api.get<ObList>(path, { 'x-account-access-consent-id': consentId });

  async function tokenRows(consentId: string): Promise<number> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const r = await client.query<{ n: string }>(
        `select count(*) as n from consent_token where "consentId" = $1`,
        [consentId],
      );
      return Number(r.rows[0].n);
    } finally {
      await client.end();
    }
  }

  it('authorises, then lists accounts, balances and both pages of transactions through rewritten Links', async () => {
    expect(consent.steps.map((s) => s.status)).toEqual([201, 201, 200]);
    const got = await a.api.get<{ status: string }>(
      `/v1/aisp/account-access-consents/${consent.consentId}`,
    );
    expect(got.status).toBe(200);
    expect(got.body.status).toBe('AUTH'); // the v4.0 consent status code

    const accounts = await read(a, '/v1/aisp/accounts');
    expect(accounts.status).toBe(200);
    expect(accounts.headers.get('x-fapi-interaction-id')).toBeTruthy();
    const list = accounts.body.Data.Account as { AccountId: string }[];
    expect(list.length).toBeGreaterThan(0);
    expect(accounts.body.Links.Self.startsWith(`${a.url}/v1/aisp/accounts`)).toBe(true);

    const balances = await read(a, `/v1/aisp/accounts/${list[0].AccountId}/balances`);
    expect(balances.status).toBe(200);
    expect((balances.body.Data.Balance as unknown[]).length).toBeGreaterThan(0);

    const first = await read(a, `/v1/aisp/accounts/${list[0].AccountId}/transactions`);
    expect(first.status).toBe(200);
    const next = first.body.Links.Next;
    expect(next).toBeDefined();
    expect(next!.startsWith(`${a.url}/v1/aisp/`)).toBe(true);
    // Page two through the connector, on the other replica.
    const second = await read(b, next!.slice(a.url.length));
    expect(second.status).toBe(200);
    const ids = (r: ApiResponse<ObList>) =>
      (r.body.Data.Transaction as { TransactionId: string }[]).map((t) => t.TransactionId);
    expect(ids(second).length).toBeGreaterThan(0);
    expect(ids(second).some((id) => ids(first).includes(id))).toBe(false);
    expect(second.body.Links.Prev?.startsWith(`${b.url}/v1/aisp/`)).toBe(true);

    // No request the connector sent was refused by the bank's OpenAPI validation.
    const ledger = await bank.ledger();
    expect(ledger.events.filter((e) => e.type === 'spec.rejected')).toEqual([]);
  });

  it('refreshes once when the access token expired at the bank, across two replicas and 50 concurrent reads', async () => {
    const grants = async () => (await bank.ledger()).counts.tokenGrants.refresh_token ?? 0;
    const before = await grants();
    await bank.admin('/tokens/expire', { consentId: consent.externalApiId });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => read(i % 2 === 0 ? a : b, '/v1/aisp/accounts')),
    );
    const failed = results.filter((r) => r.status !== 200);
    expect(failed.map((r) => r.text).slice(0, 3)).toEqual([]);
    expect((await grants()) - before).toBe(1);
  });

  it('refreshes once when the access token expired by time, across two replicas and 50 concurrent reads', async () => {
    const grants = async () => (await bank.ledger()).counts.tokenGrants.refresh_token ?? 0;
    expect((await read(a, '/v1/aisp/accounts')).status).toBe(200); // a fresh token now
    const before = await grants();
    await new Promise((r) => setTimeout(r, 6_000)); // past the connector's view of its expiry
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => read(i % 2 === 0 ? a : b, '/v1/aisp/accounts')),
    );
    expect(results.filter((r) => r.status !== 200).map((r) => r.text)).toEqual([]);
    expect((await grants()) - before).toBe(1);
  });

  describe('bad input, each with its own code', () => {
    it('missing x-account-access-consent-id', async () => {
      const res = await a.api.get('/v1/aisp/accounts');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'account-access-consent/header-missing' });
    });

    it('unknown x-account-access-consent-id', async () => {
      const res = await read(a, '/v1/aisp/accounts', '00000000-0000-4000-8000-000000000000');
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'account-access-consent/not-found' });
    });

    it('a consent not yet authorised', async () => {
      const created = await a.api.post<{ id: string }>('/v1/aisp/account-access-consents', {
        bankRegistrationId: registration.bankRegistrationId,
        templateRequest: { type: 'MaximumPermissions' },
      });
      expect(created.status).toBe(201);
      const res = await read(a, '/v1/aisp/accounts', created.body.id);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body).toMatchObject({ code: 'consent/not-authorised' });
    });

    it('an unknown state, a replayed state, and an expired auth context', async () => {
      const unknown = await a.api.post('/v1/auth/redirect-delegate', {
        state: 'no-such-state',
        code: 'x',
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ code: 'auth/unknown-state' });

      // Replay: a second consent's redirect, delivered twice.
      const created = await a.api.post<{ id: string }>('/v1/aisp/account-access-consents', {
        bankRegistrationId: registration.bankRegistrationId,
        templateRequest: { type: 'MaximumPermissions' },
      });
      const ctx = await a.api.post<{ authUrl: string }>(
        `/v1/aisp/account-access-consents/${created.body.id}/auth-contexts`,
        {},
      );
      const { redirectUrl } = await bank.admin<{ redirectUrl: string }>('/authorise', {
        authUrl: ctx.body.authUrl,
        decision: 'approve',
      });
      const params = redirectParameters(redirectUrl);
      expect((await a.api.post('/v1/auth/redirect-delegate', params)).status).toBe(200);
      const replay = await b.api.post('/v1/auth/redirect-delegate', params);
      expect(replay.status).toBe(400);
      expect(replay.body).toMatchObject({ code: 'auth/unknown-state' });

      // Expired: replica b issues auth contexts that live one second.
      const third = await b.api.post<{ id: string }>('/v1/aisp/account-access-consents', {
        bankRegistrationId: registration.bankRegistrationId,
        templateRequest: { type: 'MaximumPermissions' },
      });
      const shortCtx = await b.api.post<{ authUrl: string }>(
        `/v1/aisp/account-access-consents/${third.body.id}/auth-contexts`,
        {},
      );
      const late = await bank.admin<{ redirectUrl: string }>('/authorise', {
        authUrl: shortCtx.body.authUrl,
        decision: 'approve',
      });
      await new Promise((r) => setTimeout(r, 1500));
      const expired = await a.api.post(
        '/v1/auth/redirect-delegate',
        redirectParameters(late.redirectUrl),
      );
      expect(expired.status).toBe(400);
      expect(expired.body).toMatchObject({ code: 'auth/state-expired' });
      expect(await tokenRows(third.body.id)).toBe(0);
    });

    it('a bank error in the redirect', async () => {
      const created = await a.api.post<{ id: string }>('/v1/aisp/account-access-consents', {
        bankRegistrationId: registration.bankRegistrationId,
        templateRequest: { type: 'MaximumPermissions' },
      });
      const ctx = await a.api.post<{ authUrl: string }>(
        `/v1/aisp/account-access-consents/${created.body.id}/auth-contexts`,
        {},
      );
      const { redirectUrl } = await bank.admin<{ redirectUrl: string }>('/authorise', {
        authUrl: ctx.body.authUrl,
        decision: 'deny',
      });
      const res = await a.api.post('/v1/auth/redirect-delegate', redirectParameters(redirectUrl));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'auth/bank-error' });
      expect(await tokenRows(created.body.id)).toBe(0);
    });
  });

  it('the fast read path answers as the controller does: bodies, headers, problems and metrics', async () => {
    // Express routes a trailing slash to the controller; the fast path only takes the exact
    // path. So each pair is one request through each path of the same replica.
    const accounts = await read(a, '/v1/aisp/accounts');
    const accountId = (accounts.body.Data.Account as { AccountId: string }[])[0].AccountId;
    const VARYING = ['date', 'x-request-id', 'x-fapi-interaction-id', 'keep-alive', 'connection'];
    const headersOf = (r: ApiResponse<unknown>) =>
      Object.fromEntries([...r.headers.entries()].filter(([name]) => !VARYING.includes(name)));
    const pairs: [string, Record<string, string>][] = [
      ['/v1/aisp/accounts', {}],
      [`/v1/aisp/accounts/${accountId}/transactions?fromBookingDateTime=2020-01-01T00:00:00Z`, {}],
      [`/v1/aisp/accounts/${encodeURIComponent(accountId)}/balances`, {}],
      ['/v1/aisp/accounts', { 'x-account-access-consent-id': '' }],
      [
        '/v1/aisp/accounts',
        { 'x-account-access-consent-id': '00000000-0000-4000-8000-000000000000' },
      ],
      ['/v1/aisp/accounts/x%20y/balances', {}],
    ];
    for (const [path, extra] of pairs) {
      const [p, q] = path.split('?');
      const headers = { 'x-account-access-consent-id': consent.consentId, ...extra };
      const fast = await a.api.get<ObList & { instance?: string }>(path, headers);
      const routed = await a.api.get<ObList & { instance?: string }>(
        `${p}/${q ? `?${q}` : ''}`,
        headers,
      );
      expect([path, fast.status]).toEqual([path, routed.status]);
      // A problem's length differs by the instance (the path, one slash longer when routed).
      const { 'content-length': fastLength, ...fastHeaders } = headersOf(fast);
      const { 'content-length': routedLength, ...routedHeaders } = headersOf(routed);
      expect(fastHeaders).toEqual(routedHeaders);
      expect(Number(fastLength)).toBe(Number(routedLength) - (fast.status === 200 ? 0 : 1));
      if (fast.status === 200) {
        expect(fast.headers.get('x-fapi-interaction-id')).toBeTruthy();
        expect(fast.body).toEqual(routed.body);
      } else {
        expect(fast.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
        expect({ ...fast.body, requestId: undefined, instance: undefined }).toEqual({
          ...routed.body,
          requestId: undefined,
          instance: undefined,
        });
        expect(fast.body.instance).toBe(p);
      }
      expect(fast.headers.get('x-request-id')).toBeTruthy();
    }
    // A caller's request id is kept; a wrong API key is the guard's 401, whichever path.
    const traced = await a.api.get('/v1/aisp/accounts', {
      'x-account-access-consent-id': consent.consentId,
      'x-request-id': 'trace-1234',
    });
    expect(traced.headers.get('x-request-id')).toBe('trace-1234');
    const stranger = await a.api
      .withApiKey('not-a-key')
      .get<{ code: string }>('/v1/aisp/accounts', {
        'x-account-access-consent-id': consent.consentId,
      });
    expect([stranger.status, stranger.body.code]).toEqual([401, 'auth/invalid-api-key']);

    // Both paths count under the controller's route template.
    const metrics = await a.api.withApiKey(undefined).get('/metrics');
    const count = (route: string, statusClass: string) =>
      Number(
        metrics.text.match(
          new RegExp(
            `^obc_http_server_requests_total\\{method="GET",route="${route}",status_class="${statusClass}"\\} (\\d+)$`,
            'm',
          ),
        )?.[1] ?? 0,
      );
    expect(count('/v1/aisp/accounts', '2xx')).toBeGreaterThanOrEqual(3);
    expect(count('/v1/aisp/accounts', '4xx')).toBeGreaterThanOrEqual(4);
    expect(count('/v1/aisp/accounts/:accountId/transactions', '2xx')).toBeGreaterThanOrEqual(2);
    expect(metrics.text).not.toContain(accountId);
  });

  it('serves every other AISP read the profile supports, at the bank and per account', async () => {
    const accounts = await read(a, '/v1/aisp/accounts');
    const accountId = (accounts.body.Data.Account as { AccountId: string }[])[0].AccountId;
    const bulk = [
      'beneficiaries',
      'direct-debits',
      'standing-orders',
      'scheduled-payments',
      'statements',
      'products',
      'offers',
      'party',
    ];
    const perAccount = [
      ...bulk.filter((p) => p !== 'products' && p !== 'party'),
      'product',
      'party',
      'parties',
    ];
    for (const path of [
      ...bulk.map((p) => `/v1/aisp/${p}`),
      ...perAccount.map((p) => `/v1/aisp/accounts/${accountId}/${p}`),
      `/v1/aisp/accounts/${accountId}`,
      '/v1/aisp/balances',
      '/v1/aisp/transactions?fromBookingDateTime=2020-01-01T00:00:00Z',
    ]) {
      const res = await read(b, path);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.body.Links.Self.startsWith(`${b.url}/v1/aisp/`)).toBe(true);
    }
  });

  /** One authorisation with a fault the mock bank applies to its next response. */
  async function authoriseWithFault(fault: { idToken?: string; tokenResponse?: string }) {
    const created = await a.api.post<{ id: string }>('/v1/aisp/account-access-consents', {
      bankRegistrationId: registration.bankRegistrationId,
      templateRequest: { type: 'MaximumPermissions' },
    });
    expect(created.status).toBe(201);
    const ctx = await a.api.post<{ authUrl: string }>(
      `/v1/aisp/account-access-consents/${created.body.id}/auth-contexts`,
      {},
    );
    await bank.admin('/faults', { ...fault, once: true });
    try {
      const { redirectUrl } = await bank.admin<{ redirectUrl: string }>('/authorise', {
        authUrl: ctx.body.authUrl,
        decision: 'approve',
      });
      const res = await a.api.post<{ code?: string }>(
        '/v1/auth/redirect-delegate',
        redirectParameters(redirectUrl),
      );
      return { res, consentId: created.body.id };
    } finally {
      await bank.admin('/faults/reset', {});
    }
  }

  describe('FAPI 1 Advanced client refusals: the delegate answers 400 and stores no token', () => {
    it.each([
      ['wrong-nonce', 'id-token/nonce-mismatch'],
      ['missing-nonce', 'id-token/missing-nonce'],
      ['wrong-s-hash', 'id-token/s-hash-mismatch'],
      ['missing-s-hash', 'id-token/missing-s-hash'],
      ['wrong-c-hash', 'id-token/c-hash-mismatch'],
      ['missing-c-hash', 'id-token/missing-c-hash'],
      ['wrong-iss', 'id-token/wrong-issuer'],
      ['wrong-aud', 'id-token/wrong-audience'],
      ['extra-untrusted-aud', 'id-token/wrong-audience'],
      ['bad-signature', 'id-token/invalid-signature'],
      ['alg-none', 'id-token/unsupported-alg'],
      ['alg-other', 'id-token/unsupported-alg'],
      ['expired', 'id-token/expired'],
      ['iat-week-old', 'id-token/issued-too-long-ago'],
      ['wrong-intent-id', 'id-token/intent-id-mismatch'],
    ])('%s → %s', async (fault, code) => {
      const { res, consentId } = await authoriseWithFault({ idToken: fault });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(code);
      expect(await tokenRows(consentId)).toBe(0);
    });
  });

  describe('FAPI 1 Advanced client accepting cases complete', () => {
    it.each([
      [{ idToken: 'aud-array' }],
      [{ idToken: 'no-at-hash' }],
      [{ tokenResponse: 'no-scope-no-expires-in' }],
    ])('%j', async (fault) => {
      const { res, consentId } = await authoriseWithFault(fault);
      expect(res.status).toBe(200);
      expect(await tokenRows(consentId)).toBe(1);
      const accounts = await read(a, '/v1/aisp/accounts', consentId);
      expect(accounts.status).toBe(200);
    });
  });

  it('the bank refused nothing the connector sent as against the OB v4.0 specification', async () => {
    const ledger = await bank.ledger();
    expect(ledger.events.filter((e) => e.type === 'spec.rejected')).toEqual([]);
  });

  it('logs of both replicas hold no access token, refresh token, private key or account number', async () => {
    const accounts = await read(a, '/v1/aisp/accounts');
    const accountNumbers = (
      accounts.body.Data.Account as { Account?: { Identification: string }[] }[]
    )
      .flatMap((acc) => acc.Account ?? [])
      .map((id) => id.Identification);
    expect(accountNumbers.length).toBeGreaterThan(0);
    const secrets = await bank.issuedSecrets();
    expect(secrets.length).toBeGreaterThan(3);
    const privateKeyLines = pki.pem.tppTransportKey
      .split('\n')
      .slice(1, 3)
      .concat(pki.pem.tppSigningKey.split('\n').slice(1, 3));
    const logs = a.process.output() + b.process.output();
    expect(logs.length).toBeGreaterThan(1000);
    for (const needle of [...secrets, ...accountNumbers, ...privateKeyLines]) {
      expect(logs.includes(needle) ? needle : 'absent').toBe('absent');
    }
  });
});
