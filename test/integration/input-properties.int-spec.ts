import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { oddHeaderValue, oddPathId, oddQuery, boundaryString } from '../support/input-arbitraries';
import {
  closeRawAgent,
  idRoute,
  InputPropertyRunner,
  jsonRoute,
  rawBodyRoute,
  type RawRequest,
  type RouteProperty,
} from '../support/input-properties';
import { startInProcessSandbox, type InProcessSandbox } from '../support/in-process-connector';
import {
  authoriseAccountAccess,
  authoriseConsent,
  redirectParameters,
  registrationJourney,
  type RegistrationJourneyResult,
} from '../support/journeys';
import { describeWithPostgres } from '../support/postgres';

jest.setTimeout(240_000);

/** Runs per route; the whole file stays well under two minutes on a busy 2-core machine. */
const RUNS = Number(process.env.OBC_PROPERTY_RUNS ?? 20);

const CREDITOR = {
  SchemeName: 'UK.OBIE.SortCodeAccountNumber',
  Identification: '08080021325698',
  Name: 'ACME Inc',
};

/**
 * Bad input at scale (issue 7): every route that takes a body, query, path parameter or header
 * gets arbitrary and boundary input; no answer is a 500, errors are problem+json with a stable
 * code, refused requests store nothing, and the process keeps answering.
 */
describeWithPostgres('bad input never yields a 500 nor stores partial rows (PostgreSQL)', () => {
  let s: InProcessSandbox;
  let runner: InputPropertyRunner;
  let registration: RegistrationJourneyResult;
  let aisAuthorised: string;
  let aisPending: string;
  let pisAuthorised: string;
  let pisPending: string;
  let vrpAuthorised: string;
  let vrpPending: string;
  let spareStatementId: string;
  const states: string[] = [];
  const processErrors: unknown[] = [];
  const onProcessError = (e: unknown) => processErrors.push(e);

  const ctx = () => ({ apiKey: s.apiKey });
  const paymentInitiation = (amount = '10.50') => ({
    InstructionIdentification: 'instr-1',
    EndToEndIdentification: 'e2e-1',
    InstructedAmount: { Amount: amount, Currency: 'GBP' },
    CreditorAccount: CREDITOR,
  });
  const paymentConsentBody = () => ({
    bankRegistrationId: registration.bankRegistrationId,
    reference: 'props',
    externalApiRequest: { Data: { Initiation: paymentInitiation() }, Risk: {} },
  });
  const vrpConsentBody = () => ({
    bankRegistrationId: registration.bankRegistrationId,
    reference: 'props',
    externalApiRequest: {
      Data: {
        ControlParameters: {
          VRPType: ['UK.OBIE.VRPType.Sweeping'],
          PSUAuthenticationMethods: ['UK.OBIE.SCANotRequired'],
          MaximumIndividualAmount: { Amount: '50.00', Currency: 'GBP' },
          PeriodicLimits: [
            { PeriodType: 'Month', PeriodAlignment: 'Calendar', Amount: '100.00', Currency: 'GBP' },
          ],
        },
        Initiation: { CreditorAccount: CREDITOR },
      },
      Risk: {},
    },
  });
  const vrpPaymentBody = () => ({
    domesticVrpConsentId: vrpAuthorised,
    externalApiRequest: {
      Data: {
        PSUAuthenticationMethod: 'UK.OBIE.SCANotRequired',
        VRPType: 'UK.OBIE.VRPType.Sweeping',
        Initiation: { CreditorAccount: CREDITOR },
        Instruction: {
          InstructionIdentification: 'vrp-1',
          EndToEndIdentification: 'vrp-1',
          InstructedAmount: { Amount: '1.00', Currency: 'GBP' },
          CreditorAccount: CREDITOR,
        },
      },
      Risk: {},
    },
  });
  const created = async (path: string, body: unknown): Promise<string> => {
    const res = await s.api.post<{ id: string }>(path, body, { 'idempotency-key': randomUUID() });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${res.text}`);
    return res.body.id;
  };
  /** Ids: the fixtures' own, fresh UUIDs, and odd ones. */
  const ids = (...known: (() => string)[]) =>
    fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom(...known).map((f) => f()) },
      { weight: 4, arbitrary: oddPathId },
    );

  beforeAll(async () => {
    process.on('uncaughtException', onProcessError);
    process.on('unhandledRejection', onProcessError);
    s = await startInProcessSandbox();
    runner = new InputPropertyRunner(s.url, s.sql);
    registration = await registrationJourney(s.api, s.testBank.pki, { redirectUri: s.redirectUri });
    aisAuthorised = (await authoriseAccountAccess(s.api, s.bank, registration.bankRegistrationId))
      .consentId;
    aisPending = await created('/v1/aisp/account-access-consents', {
      bankRegistrationId: registration.bankRegistrationId,
      templateRequest: { type: 'MaximumPermissions' },
    });
    pisPending = await created('/v1/pisp/domestic-payment-consents', paymentConsentBody());
    pisAuthorised = await created('/v1/pisp/domestic-payment-consents', paymentConsentBody());
    await authoriseConsent(
      s.api,
      s.bank,
      `/v1/pisp/domestic-payment-consents/${pisAuthorised}/auth-contexts`,
    );
    vrpPending = await created('/v1/vrp/domestic-vrp-consents', vrpConsentBody());
    vrpAuthorised = await created('/v1/vrp/domestic-vrp-consents', vrpConsentBody());
    await authoriseConsent(
      s.api,
      s.bank,
      `/v1/vrp/domestic-vrp-consents/${vrpAuthorised}/auth-contexts`,
    );
    for (let i = 0; i < 3; i++) {
      const res = await s.api.post<{ state: string }>(
        `/v1/aisp/account-access-consents/${aisPending}/auth-contexts`,
        {},
      );
      if (res.status !== 201) throw new Error(`auth context: ${res.status} ${res.text}`);
      states.push(res.body.state);
    }
    spareStatementId = await created('/v1/manage/software-statements', statementBody());
  });

  afterAll(async () => {
    closeRawAgent();
    await s?.stop();
    process.off('uncaughtException', onProcessError);
    process.off('unhandledRejection', onProcessError);
  });

  afterEach(() => {
    expect(processErrors).toEqual([]);
  });

  const statementBody = () => ({
    organisationId: s.testBank.pki.manifest.organisationId,
    softwareId: s.testBank.pki.manifest.softwareId,
    sandboxEnvironment: true,
    obwacCertificateId: registration.obwacCertificateId,
    obsealCertificateId: registration.obsealCertificateId,
    defaultRedirectUri: s.redirectUri,
    redirectUris: [s.redirectUri],
    reference: 'props',
  });

  const checkAll = async (routes: RouteProperty[], runs = RUNS) => {
    for (const route of routes) await runner.check(route, runs);
  };

  it('management: certificates, software statements, encryption keys, bank registrations and profiles', async () => {
    const pki = s.testBank.pki;
    const file = (name: string) => ({ source: 'file', name: join(s.testBank.pkiDir, name) });
    const bodies: [string, string, object, boolean][] = [
      [
        'POST',
        '/v1/manage/obwac-certificates',
        {
          certificatePem: pki.pem.tppTransport,
          privateKey: file(pki.manifest.files.tppTransportKey),
          reference: 'props',
        },
        false,
      ],
      [
        'POST',
        '/v1/manage/obseal-certificates',
        {
          keyId: pki.manifest.signingKid,
          privateKey: file(pki.manifest.files.tppSigningKey),
          certificatePem: pki.pem.tppSigning,
          reference: 'props',
        },
        false,
      ],
      ['POST', '/v1/manage/software-statements', statementBody(), false],
      [
        'PUT',
        `/v1/manage/software-statements/${spareStatementId}`,
        { defaultRedirectUri: s.redirectUri, redirectUris: [s.redirectUri] },
        false,
      ],
      [
        'POST',
        '/v1/manage/encryption-keys',
        {
          key: { source: 'env', name: 'OBC_PROPS_NO_SUCH_KEY' },
          setAsCurrent: false,
          reference: 'p',
        },
        false,
      ],
      [
        'POST',
        '/v1/manage/bank-registrations',
        {
          bankProfile: 'mock-bank',
          softwareStatementId: registration.softwareStatementId,
          scopes: ['openid', 'accounts'],
          redirectUris: [s.redirectUri],
          defaultRedirectUri: s.redirectUri,
        },
        true,
      ],
    ];
    await checkAll(
      bodies.map(([method, path, valid, idempotent]) =>
        jsonRoute(ctx(), method, path, valid, { idempotent }),
      ),
    );
    // Secret references that resolve, by names of every length the DTO allows: the same key file
    // reached through `/.` segments, and the transport key for the certificates.
    const keyFile = join(s.testBank.pkiDir, 'props-encryption-key.b64');
    writeFileSync(keyFile, randomBytes(32).toString('base64'));
    const longName = (path: string) =>
      fc
        .integer({ min: 0, max: 1_020 })
        .map((n) => `${s.testBank.pkiDir}${'/.'.repeat(n)}/${path}`);
    const longReference: RouteProperty = {
      name: 'secret references with long names',
      requests: fc
        .tuple(
          fc.boolean(),
          longName('props-encryption-key.b64'),
          longName(pki.manifest.files.tppTransportKey),
        )
        .map(([encryption, keyName, certName]) => ({
          method: 'POST',
          path: encryption ? '/v1/manage/encryption-keys' : '/v1/manage/obwac-certificates',
          headers: { authorization: `Bearer ${s.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(
            encryption
              ? { key: { source: 'file', name: keyName }, setAsCurrent: false }
              : {
                  certificatePem: pki.pem.tppTransport,
                  privateKey: { source: 'file', name: certName },
                },
          ),
        })),
    };
    await runner.check(longReference, RUNS);
    const exclude = ['x-exclude-external-api-operation'];
    await checkAll([
      idRoute(
        ctx(),
        'GET',
        (id) => `/v1/manage/obwac-certificates/${id}`,
        ids(() => registration.obwacCertificateId),
      ),
      idRoute(ctx(), 'DELETE', (id) => `/v1/manage/obwac-certificates/${id}`, oddPathId),
      idRoute(
        ctx(),
        'GET',
        (id) => `/v1/manage/obseal-certificates/${id}`,
        ids(() => registration.obsealCertificateId),
      ),
      idRoute(ctx(), 'DELETE', (id) => `/v1/manage/obseal-certificates/${id}`, oddPathId),
      idRoute(
        ctx(),
        'GET',
        (id) => `/v1/manage/software-statements/${id}`,
        ids(() => spareStatementId),
      ),
      idRoute(ctx(), 'PUT', (id) => `/v1/manage/software-statements/${id}`, oddPathId),
      idRoute(ctx(), 'DELETE', (id) => `/v1/manage/software-statements/${id}`, oddPathId),
      idRoute(ctx(), 'GET', (id) => `/v1/manage/encryption-keys/${id}`, oddPathId),
      idRoute(
        ctx(),
        'GET',
        (id) => `/v1/manage/bank-profiles/${id}`,
        ids(() => 'mock-bank'),
      ),
      idRoute(
        ctx(),
        'GET',
        (id) => `/v1/manage/bank-registrations/${id}`,
        ids(() => registration.bankRegistrationId),
        exclude,
      ),
      idRoute(ctx(), 'DELETE', (id) => `/v1/manage/bank-registrations/${id}`, oddPathId, exclude),
      idRoute(ctx(), 'GET', (q) => `/v1/manage/software-statements?${q}`, oddQuery),
      idRoute(ctx(), 'GET', (q) => `/v1/manage/bank-registrations?${q}`, oddQuery),
    ]);
  });

  it('account access: consents, auth contexts and every read', async () => {
    await checkAll([
      jsonRoute(
        ctx(),
        'POST',
        '/v1/aisp/account-access-consents',
        {
          bankRegistrationId: registration.bankRegistrationId,
          templateRequest: { type: 'MaximumPermissions' },
          externalApiUserId: 'user-1',
          reference: 'props',
          createdBy: 'props',
        },
        { idempotent: true },
      ),
      jsonRoute(
        ctx(),
        'POST',
        '/v1/aisp/account-access-consents',
        {
          bankRegistrationId: registration.bankRegistrationId,
          externalApiRequest: {
            Data: {
              Permissions: ['ReadAccountsBasic', 'ReadBalances'],
              ExpirationDateTime: '2099-01-01T00:00:00+00:00',
            },
            Risk: {},
          },
        },
        { idempotent: true },
      ),
      jsonRoute(ctx(), 'POST', `/v1/aisp/account-access-consents/${aisPending}/auth-contexts`, {
        redirectUri: s.redirectUri,
        appSessionId: 'session-1',
        reference: 'props',
      }),
      idRoute(
        ctx(),
        'POST',
        (id) => `/v1/aisp/account-access-consents/${id}/auth-contexts`,
        oddPathId,
      ),
      idRoute(
        ctx(),
        'GET',
        (id) => `/v1/aisp/account-access-consents/${id}`,
        ids(() => aisAuthorised),
        ['x-exclude-external-api-operation'],
      ),
      idRoute(ctx(), 'DELETE', (id) => `/v1/aisp/account-access-consents/${id}`, oddPathId, [
        'x-exclude-external-api-operation',
      ]),
    ]);

    const resources = [
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
    ];
    const perAccount = [
      ...resources.slice(1),
      'parties',
      'product',
      'statements/st-1',
      'statements/st-1/transactions',
    ];
    const consentHeader = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(aisAuthorised, aisPending),
      oddHeaderValue,
    );
    const read: RouteProperty = {
      name: 'GET /v1/aisp/... (reads)',
      requests: fc
        .record({
          resource: fc.oneof(
            fc.constantFrom(...resources).map((r) => `/v1/aisp/${r}`),
            fc
              .tuple(
                fc.oneof(fc.constant('acc-current-001'), oddPathId),
                fc.constantFrom('', ...perAccount),
              )
              .map(([account, r]) => `/v1/aisp/accounts/${account}${r ? '/' + r : ''}`),
          ),
          query: fc.option(oddQuery, { nil: undefined }),
          consent: consentHeader,
        })
        .map(({ resource, query, consent }) => ({
          method: 'GET',
          path: query === undefined ? resource : `${resource}?${query}`,
          headers: {
            authorization: `Bearer ${s.apiKey}`,
            ...(consent === undefined ? {} : { 'x-account-access-consent-id': consent }),
          },
        })),
    };
    await runner.check(read, RUNS * 4);
  });

  it('the redirect delegate and landing page: JSON, forms and queries', async () => {
    const bankUrl = s.testBank.bank.url;
    const state = fc.oneof(fc.constantFrom(...states), boundaryString);
    const delegate = (valid: () => object): RouteProperty => ({
      name: 'POST /v1/auth/redirect-delegate',
      mayUpdate: ['auth_context'],
      requests: fc.tuple(state, fc.constantFrom('json', 'form'), fc.nat()).chain(([st, style]) =>
        jsonRoute(ctx(), 'POST', '/v1/auth/redirect-delegate', {
          state: st,
          ...valid(),
        }).requests.map((req) => {
          if (style === 'json') return req;
          const parsed = JSON.parse(req.body ?? 'null') as unknown;
          const form = new URLSearchParams();
          if (parsed && typeof parsed === 'object')
            for (const [k, v] of Object.entries(parsed))
              form.append(k, typeof v === 'string' ? v : JSON.stringify(v));
          return {
            ...req,
            headers: { ...req.headers, 'content-type': 'application/x-www-form-urlencoded' },
            body: form.toString(),
          };
        }),
      ),
    });
    await checkAll([
      delegate(() => ({
        code: 'code-1',
        id_token: 'a.b.c',
        iss: bankUrl,
        response_mode: 'fragment',
      })),
      delegate(() => ({ error: 'access_denied', error_description: 'no', iss: bankUrl })),
      // A redirect carrying a live state redeems it whatever else is wrong (single use, like the
      // bank's code), so the raw route may consume auth contexts too.
      {
        ...rawBodyRoute(ctx(), 'POST', '/v1/auth/redirect-delegate', {
          state: states[0],
          code: 'c',
        }),
        mayUpdate: ['auth_context'],
      },
      {
        name: 'GET /v1/auth/redirect',
        errors: 'html',
        mayUpdate: ['auth_context'],
        requests: fc.tuple(fc.option(state, { nil: undefined }), oddQuery).map(([st, q]) => ({
          method: 'GET',
          path: `/v1/auth/redirect?${st === undefined ? '' : `state=${encodeURIComponent(st.replace(/[\uD800-\uDFFF]/g, '?'))}&`}${q}`,
          headers: {},
        })),
      },
      idRoute(ctx(), 'GET', (q) => `/v1/auth/fragment-redirect?${q}`, oddQuery),
    ]);
  });

  it('the redirect delegate with a real bank redirect (AIS, PIS or VRP), one parameter mutated', async () => {
    /** A fresh consent authorised at the bank: the redirect parameters a front end would forward. */
    type ConsentKind = 'aisp' | 'pisp' | 'vrp';
    const consentPaths: Record<ConsentKind, [string, () => object]> = {
      aisp: [
        '/v1/aisp/account-access-consents',
        () => ({
          bankRegistrationId: registration.bankRegistrationId,
          templateRequest: { type: 'MaximumPermissions' },
        }),
      ],
      pisp: ['/v1/pisp/domestic-payment-consents', paymentConsentBody],
      vrp: ['/v1/vrp/domestic-vrp-consents', vrpConsentBody],
    };
    const freshRedirect = async (kind: ConsentKind = 'aisp'): Promise<Record<string, string>> => {
      const [path, body] = consentPaths[kind];
      const consentId = await created(path, body());
      const context = await s.api.post<{ authUrl: string }>(
        `${path}/${consentId}/auth-contexts`,
        {},
      );
      const { redirectUrl } = await s.bank.admin<{ redirectUrl: string }>('/authorise', {
        authUrl: context.body.authUrl,
        decision: 'approve',
      });
      return redirectParameters(redirectUrl);
    };
    const mutation = fc.record({
      field: fc.constantFrom(
        'state',
        'code',
        'id_token',
        'iss',
        'error',
        'error_description',
        'response_mode',
        '__proto__',
      ),
      op: fc.constantFrom('replace', 'remove', 'truncate', 'flip-last', 'duplicate'),
      value: boundaryString.map((v) => v.replace(/[\uD800-\uDFFF]/g, '?')),
      style: fc.constantFrom('json', 'form', 'query'),
      kind: fc.constantFrom<ConsentKind>('aisp', 'pisp', 'vrp'),
    });
    // Unmutated, the redirect completes: the property below starts from a path that works.
    const untouched = await runner.send(
      {
        method: 'POST',
        path: '/v1/auth/redirect-delegate',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(await freshRedirect()),
      },
      'problem',
    );
    expect(untouched.status).toBe(200);
    await fc.assert(
      fc.asyncProperty(mutation, async ({ field, op, value, style, kind }) => {
        const params: Record<string, unknown> = await freshRedirect(kind);
        const current = params[field];
        if (op === 'remove') delete params[field];
        else if (op === 'replace')
          Object.defineProperty(params, field, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        else if (op === 'duplicate') params[field] = [current ?? value, value];
        else if (typeof current === 'string')
          params[field] =
            op === 'truncate'
              ? current.slice(0, -1)
              : current.slice(0, -1) + (current.endsWith('A') ? 'B' : 'A');
        runner.resync();
        const form = new URLSearchParams();
        for (const [k, v] of Object.entries(params))
          for (const item of Array.isArray(v) ? v : [v]) form.append(k, String(item));
        const request: RawRequest =
          style === 'query'
            ? { method: 'GET', path: `/v1/auth/redirect?${form.toString()}`, headers: {} }
            : style === 'json'
              ? {
                  method: 'POST',
                  path: '/v1/auth/redirect-delegate',
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify(params),
                }
              : {
                  method: 'POST',
                  path: '/v1/auth/redirect-delegate',
                  headers: { 'content-type': 'application/x-www-form-urlencoded' },
                  body: form.toString(),
                };
        await runner.send(request, style === 'query' ? 'html' : 'problem', ['auth_context']);
      }),
      { numRuns: Math.max(8, Math.round(RUNS * 0.75)) },
    );
  });

  it('payment initiation: consents, funds confirmation, auth contexts, payments', async () => {
    await checkAll([
      jsonRoute(ctx(), 'POST', '/v1/pisp/domestic-payment-consents', paymentConsentBody(), {
        idempotent: true,
      }),
      jsonRoute(ctx(), 'POST', `/v1/pisp/domestic-payment-consents/${pisPending}/auth-contexts`, {
        redirectUri: s.redirectUri,
        appSessionId: 'session-1',
      }),
      jsonRoute(
        ctx(),
        'POST',
        '/v1/pisp/domestic-payments',
        {
          domesticPaymentConsentId: pisAuthorised,
          reference: 'props',
          externalApiRequest: { Data: { Initiation: paymentInitiation() }, Risk: {} },
        },
        { idempotent: true },
      ),
      idRoute(
        ctx(),
        'GET',
        (id) => `/v1/pisp/domestic-payment-consents/${id}`,
        ids(() => pisAuthorised),
        ['x-exclude-external-api-operation'],
      ),
      idRoute(
        ctx(),
        'GET',
        (id) => `/v1/pisp/domestic-payment-consents/${id}/funds-confirmation`,
        ids(
          () => pisPending,
          () => pisAuthorised,
        ),
      ),
      idRoute(
        ctx(),
        'POST',
        (id) => `/v1/pisp/domestic-payment-consents/${id}/auth-contexts`,
        oddPathId,
      ),
      idRoute(ctx(), 'GET', (id) => `/v1/pisp/domestic-payments/${id}`, oddPathId, [
        'x-exclude-external-api-operation',
      ]),
      idRoute(ctx(), 'GET', (id) => `/v1/pisp/domestic-payments/${id}/payment-details`, oddPathId),
    ]);
  });

  it('variable recurring payments: consents, funds confirmation, auth contexts, payments', async () => {
    await checkAll([
      jsonRoute(ctx(), 'POST', '/v1/vrp/domestic-vrp-consents', vrpConsentBody(), {
        idempotent: true,
      }),
      jsonRoute(
        ctx(),
        'POST',
        `/v1/vrp/domestic-vrp-consents/${vrpAuthorised}/funds-confirmation`,
        {
          externalApiRequest: {
            Data: { Reference: 'check', InstructedAmount: { Amount: '45.00', Currency: 'GBP' } },
          },
        },
      ),
      jsonRoute(ctx(), 'POST', `/v1/vrp/domestic-vrp-consents/${vrpPending}/auth-contexts`, {
        redirectUri: s.redirectUri,
        appSessionId: 'session-1',
      }),
      jsonRoute(ctx(), 'POST', '/v1/vrp/domestic-vrps', vrpPaymentBody(), { idempotent: true }),
      idRoute(
        ctx(),
        'GET',
        (id) => `/v1/vrp/domestic-vrp-consents/${id}`,
        ids(() => vrpAuthorised),
        ['x-exclude-external-api-operation'],
      ),
      idRoute(ctx(), 'DELETE', (id) => `/v1/vrp/domestic-vrp-consents/${id}`, oddPathId, [
        'x-exclude-external-api-operation',
      ]),
      idRoute(
        ctx(),
        'POST',
        (id) => `/v1/vrp/domestic-vrp-consents/${id}/funds-confirmation`,
        oddPathId,
      ),
      idRoute(
        ctx(),
        'POST',
        (id) => `/v1/vrp/domestic-vrp-consents/${id}/auth-contexts`,
        oddPathId,
      ),
      idRoute(ctx(), 'GET', (id) => `/v1/vrp/domestic-vrps/${id}`, oddPathId),
      idRoute(ctx(), 'GET', (id) => `/v1/vrp/domestic-vrps/${id}/payment-details`, oddPathId),
    ]);
  });

  it('every body route: malformed JSON, wrong content types and encodings, odd idempotency keys', async () => {
    const routes: [string, string, object][] = [
      [
        'POST',
        '/v1/manage/obwac-certificates',
        { certificatePem: 'x', privateKey: { source: 'env', name: 'X' } },
      ],
      [
        'POST',
        '/v1/manage/obseal-certificates',
        { keyId: 'k', privateKey: { source: 'env', name: 'X' } },
      ],
      ['POST', '/v1/manage/software-statements', statementBody()],
      [
        'PUT',
        `/v1/manage/software-statements/${spareStatementId}`,
        { redirectUris: [s.redirectUri] },
      ],
      [
        'POST',
        '/v1/manage/encryption-keys',
        { key: { source: 'env', name: 'X' }, setAsCurrent: false },
      ],
      [
        'POST',
        '/v1/manage/bank-registrations',
        { bankProfile: 'mock-bank', softwareStatementId: registration.softwareStatementId },
      ],
      [
        'POST',
        '/v1/aisp/account-access-consents',
        {
          bankRegistrationId: registration.bankRegistrationId,
          templateRequest: { type: 'MaximumPermissions' },
        },
      ],
      ['POST', `/v1/aisp/account-access-consents/${aisPending}/auth-contexts`, {}],
      ['POST', '/v1/pisp/domestic-payment-consents', paymentConsentBody()],
      ['POST', '/v1/pisp/domestic-payments', { domesticPaymentConsentId: pisPending }],
      ['POST', '/v1/vrp/domestic-vrp-consents', vrpConsentBody()],
      [
        'POST',
        `/v1/vrp/domestic-vrp-consents/${vrpPending}/funds-confirmation`,
        { externalApiRequest: {} },
      ],
      ['POST', '/v1/vrp/domestic-vrps', { ...vrpPaymentBody(), domesticVrpConsentId: vrpPending }],
    ];
    await checkAll(routes.map(([method, path, valid]) => rawBodyRoute(ctx(), method, path, valid)));
  });

  it('odd Authorization headers are a 401 problem on every protected route', async () => {
    const route: RouteProperty = {
      name: 'authorization',
      requests: fc
        .tuple(
          fc.constantFrom(
            'GET /v1/manage/bank-registrations',
            'POST /v1/pisp/domestic-payments',
            'GET /v1/aisp/accounts',
            'DELETE /v1/manage/obwac-certificates/x',
          ),
          fc.oneof(
            fc.constant(undefined),
            oddHeaderValue,
            oddHeaderValue.map((v) => `Bearer ${v}`),
            fc.constant(`Basic ${Buffer.from('a:b').toString('base64')}`),
          ),
        )
        .map(([route, authorization]) => {
          const [method, path] = route.split(' ');
          return {
            method,
            path,
            headers: {
              'content-type': 'application/json',
              ...(authorization === undefined ? {} : { authorization }),
            },
            body: method === 'POST' ? '{}' : undefined,
          };
        }),
    };
    await runner.check(
      {
        ...route,
        also: (res) => {
          if (res.status !== 401) throw new Error(`accepted or odd: ${res.status} ${res.text}`);
        },
      },
      RUNS * 2,
    );
  });

  it('every status seen was an expected one', () => {
    const seen = [...runner.statuses.keys()].sort();
    expect(seen.filter((status) => status === 500)).toEqual([]);
    // The properties reached past validation: some requests were accepted.
    expect(seen.some((status) => status >= 200 && status < 300)).toBe(true);
  });
});
