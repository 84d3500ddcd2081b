import { join } from 'node:path';
import express from 'express';
import { constants, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import type { JWK } from 'jose';
import request from 'supertest';
import { ConsentStore } from '../consents/consent-store';
import { sampleAccounts } from '../data/sample-data';
import { PIS_BASE_PATH, PIS_OPERATIONS, pisRouter } from '../pis/pis.router';
import { SpecValidator, withOptionalMember } from '../spec-validation/spec-validator';
import { SPECS_DIR } from '../testing/test-bank';
import { VRP_BASE_PATH, VRP_OPERATIONS, VRP_LIMIT_ERROR_CODE, vrpRouter } from '../vrp/vrp.router';
import { paymentsAdminRouter } from './payments-admin.router';
import { PaymentStore } from './payment-store';
import type { PaymentLedgerEvent, ResourceAccessToken } from './resource-pipeline';
import { ResponseSigner } from './response-signer';
import { FaultInjector } from '../faults/fault-injector';
import { compactVerify, importJWK } from 'jose';

const pisSpec = SpecValidator.load(join(SPECS_DIR, 'v4.0/payment-initiation-openapi.json'), {
  expectedOperations: PIS_OPERATIONS,
});
const vrpSpec = SpecValidator.load(join(SPECS_DIR, 'v4.0/vrp-openapi.json'), {
  expectedOperations: VRP_OPERATIONS,
});
const ISS = 'org-1/soft-1';
const CRIT = [
  'http://openbanking.org.uk/iat',
  'http://openbanking.org.uk/iss',
  'http://openbanking.org.uk/tan',
];

const fakeVerifier = {
  verify: (req: express.Request): Promise<ResourceAccessToken> => {
    const [kind, clientId, consentId] = (req.header('authorization') ?? '')
      .replace('Bearer ', '')
      .split(':');
    return Promise.resolve({
      clientId,
      scopes: ['payments'],
      grantType: kind === 'cc' ? 'client_credentials' : 'authorization_code',
      consentId,
      expiresAt: 0,
    });
  },
};

// jose refuses to sign with unknown crit headers, so the test signs like a TPP would, by hand.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicJwk: JWK = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid: 'k1', use: 'sig' };

function sign(
  raw: string,
  header: Record<string, unknown> = {},
  options: { b64Header?: boolean } = {},
): Promise<string> {
  const protectedHeader = Buffer.from(
    JSON.stringify({
      alg: 'PS256',
      kid: 'k1',
      crit: CRIT,
      'http://openbanking.org.uk/iat': Math.floor(Date.now() / 1000),
      'http://openbanking.org.uk/iss': ISS,
      'http://openbanking.org.uk/tan': 'openbanking.org.uk',
      ...header,
    }),
  ).toString('base64url');
  // b64 false (RFC 7797): the signing input holds the payload's bytes as they are.
  const input = options.b64Header
    ? `${protectedHeader}.${raw}`
    : `${protectedHeader}.${Buffer.from(raw).toString('base64url')}`;
  const signature = cryptoSign('sha256', Buffer.from(input), {
    key: privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: 32,
  }).toString('base64url');
  return Promise.resolve(`${protectedHeader}..${signature}`);
}

const bankKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const bankJwk = {
  ...(bankKey.privateKey.export({ format: 'jwk' }) as JWK),
  kid: 'bank-k1',
} as JWK & { kid: string };
const faults = new FaultInjector(bankJwk);
const responseSigner = new ResponseSigner(bankJwk as never, '0015800001041RMOCK', faults);

function setup(quirks: { refuseVrpType?: boolean; jwsB64Header?: boolean } = {}) {
  faults.reset();
  const consents = new ConsentStore();
  const accounts = sampleAccounts(new Date('2025-06-15T00:00:00Z'));
  const payments = new PaymentStore(accounts);
  const events: PaymentLedgerEvent[] = [];
  const deps = {
    verifier: fakeVerifier,
    clients: {
      find: () =>
        Promise.resolve({
          jwks: { keys: [publicJwk] },
          organisationId: 'org-1',
          softwareId: 'soft-1',
        }),
    },
    consents,
    payments,
    ledger: { record: (e: PaymentLedgerEvent) => events.push(e) },
    baseUrl: 'https://bank.example',
    responseSigner,
    jwsB64Header: quirks.jwsB64Header,
  };
  const app = express();
  app.use('/__admin', paymentsAdminRouter(payments));
  app.use(PIS_BASE_PATH, pisRouter({ ...deps, spec: pisSpec }));
  app.use(
    VRP_BASE_PATH,
    vrpRouter(
      {
        ...deps,
        spec: quirks.refuseVrpType
          ? withOptionalMember(vrpSpec, 'domesticVrpPost', 'Data.VRPType')
          : vrpSpec,
      },
      { refuseVrpType: quirks.refuseVrpType },
    ),
  );
  const post = async (path: string, body: unknown, token: string, key?: string) => {
    const raw = JSON.stringify(body);
    const req = request(app)
      .post(path)
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'application/json')
      .set(
        'x-jws-signature',
        quirks.jwsB64Header
          ? await sign(raw, { b64: false, crit: ['b64', ...CRIT] }, { b64Header: true })
          : await sign(raw),
      );
    if (key) req.set('x-idempotency-key', key);
    return req.send(raw);
  };
  return { app, consents, payments, events, accounts, post };
}

const initiation = {
  InstructionIdentification: 'instr-1',
  EndToEndIdentification: 'e2e-1',
  InstructedAmount: { Amount: '10.50', Currency: 'GBP' },
  CreditorAccount: {
    SchemeName: 'UK.OBIE.SortCodeAccountNumber',
    Identification: '08080021325698',
    Name: 'ACME Inc',
  },
};
const consentBody = { Data: { Initiation: initiation }, Risk: {} };

describe('PIS resource server', () => {
  it('accepts a consent signed over the raw bytes and refuses each signature fault', async () => {
    const { app, post } = setup();
    const ok = await post(
      `${PIS_BASE_PATH}/domestic-payment-consents`,
      consentBody,
      'cc:tpp',
      'k-1',
    );
    expect(ok.status).toBe(201);
    expect(ok.body.Data.Status).toBe('AWAU');
    expect(pisSpec.validateResponse('CreateDomesticPaymentConsents', 201, ok.body)).toEqual([]);

    const raw = JSON.stringify(consentBody);
    const attempt = (sig?: string, sent = raw) => {
      const r = request(app)
        .post(`${PIS_BASE_PATH}/domestic-payment-consents`)
        .set('authorization', 'Bearer cc:tpp')
        .set('content-type', 'application/json')
        .set('x-idempotency-key', `k-${Math.random()}`);
      if (sig) r.set('x-jws-signature', sig);
      return r.send(sent);
    };
    const code = (res: request.Response) => [res.status, res.body.Errors[0].ErrorCode];
    expect(code(await attempt())).toEqual([400, 'U019']);
    expect(code(await attempt('not-a-jws'))).toEqual([400, 'U018']);
    expect(
      code(await attempt(await sign(raw, { 'http://openbanking.org.uk/tan': 'x.org' }))),
    ).toEqual([400, 'U016']);
    expect(
      code(await attempt(await sign(raw, { 'http://openbanking.org.uk/iss': 'org-2/soft-1' }))),
    ).toEqual([400, 'U016']);
    expect(code(await attempt(await sign(raw, { crit: CRIT.slice(0, 2) })))).toEqual([400, 'U016']);
    expect(
      code(
        await attempt(
          await sign(raw, {
            'http://openbanking.org.uk/iat': Math.floor(Date.now() / 1000) + 3600,
          }),
        ),
      ),
    ).toEqual([400, 'U016']);
    const noIat = await sign(raw, { 'http://openbanking.org.uk/iat': undefined });
    expect(code(await attempt(noIat))).toEqual([400, 'U017']);
    // Same JSON, other bytes: the signature covers the exact bytes sent.
    expect(code(await attempt(await sign(raw), JSON.stringify(consentBody, null, 1)))).toEqual([
      400,
      'U015',
    ]);
  });

  it('replays an idempotent create and refuses the key with another body', async () => {
    const { post, consents, events } = setup();
    const path = `${PIS_BASE_PATH}/domestic-payment-consents`;
    const first = await post(path, consentBody, 'cc:tpp', 'same');
    const again = await post(path, consentBody, 'cc:tpp', 'same');
    expect(again.status).toBe(201);
    expect(again.body.Data.ConsentId).toBe(first.body.Data.ConsentId);
    expect(events.filter((e) => e.type === 'payment.idempotent-replay')).toHaveLength(1);
    const other = await post(
      path,
      { ...consentBody, Risk: { PaymentContextCode: 'BillingGoodsAndServicesInAdvance' } },
      'cc:tpp',
      'same',
    );
    expect(other.status).toBe(400);
    expect(other.body.Errors[0].Path).toBe('header.x-idempotency-key');
    expect(consents.get(first.body.Data.ConsentId)).toBeDefined();
  });

  it('pays once on an authorised consent, consumes it, debits and confirms funds', async () => {
    const { app, post, consents, payments, accounts } = setup();
    const created = await post(
      `${PIS_BASE_PATH}/domestic-payment-consents`,
      consentBody,
      'cc:tpp',
      'c1',
    );
    const id = created.body.Data.ConsentId as string;
    consents.authorise(id, { psuId: 'psu', accountIds: [accounts[0].accountId] });
    const funds = await request(app)
      .get(`${PIS_BASE_PATH}/domestic-payment-consents/${id}/funds-confirmation`)
      .set('authorization', `Bearer psu:tpp:${id}`);
    expect(funds.status).toBe(200);
    const before = payments.balance(accounts[0].accountId) as number;
    expect(funds.body.Data.FundsAvailableResult.FundsAvailable).toBe(before >= 10.5);

    const mismatch = await post(
      `${PIS_BASE_PATH}/domestic-payments`,
      {
        Data: { ConsentId: id, Initiation: { ...initiation, EndToEndIdentification: 'other' } },
        Risk: {},
      },
      `psu:tpp:${id}`,
      'p0',
    );
    expect(mismatch.status).toBe(400);
    const paid = await post(
      `${PIS_BASE_PATH}/domestic-payments`,
      { Data: { ConsentId: id, Initiation: initiation }, Risk: {} },
      `psu:tpp:${id}`,
      'p1',
    );
    expect(paid.status).toBe(201);
    expect(pisSpec.validateResponse('CreateDomesticPayments', 201, paid.body)).toEqual([]);
    expect(consents.get(id)?.status).toBe('COND');
    expect(payments.balance(accounts[0].accountId)).toBeCloseTo(before - 10.5, 2);
    const second = await post(
      `${PIS_BASE_PATH}/domestic-payments`,
      { Data: { ConsentId: id, Initiation: initiation }, Risk: {} },
      `psu:tpp:${id}`,
      'p2',
    );
    expect(second.status).toBe(400);
    const details = await request(app)
      .get(`${PIS_BASE_PATH}/domestic-payments/${paid.body.Data.DomesticPaymentId}/payment-details`)
      .set('authorization', `Bearer psu:tpp:${id}`);
    expect(details.status).toBe(200);
    expect(payments.list()).toHaveLength(1);
  });

  it('cut-after-commit: the client sees the socket hang up and the bank holds one payment', async () => {
    const { app, post, consents, accounts } = setup();
    const created = await post(
      `${PIS_BASE_PATH}/domestic-payment-consents`,
      consentBody,
      'cc:tpp',
      'c1',
    );
    const id = created.body.Data.ConsentId as string;
    consents.authorise(id, { psuId: 'psu', accountIds: [accounts[0].accountId] });
    await request(app)
      .post('/__admin/faults/payments')
      .send({ mode: 'cut-after-commit', once: true })
      .expect(200);
    const body = { Data: { ConsentId: id, Initiation: initiation }, Risk: {} };
    await expect(
      post(`${PIS_BASE_PATH}/domestic-payments`, body, `psu:tpp:${id}`, 'p1'),
    ).rejects.toThrow(/socket hang up|ECONNRESET/);
    const retry = await post(`${PIS_BASE_PATH}/domestic-payments`, body, `psu:tpp:${id}`, 'p1');
    expect(retry.status).toBe(201);
    const list = await request(app).get('/__admin/payments');
    expect(list.body.payments).toHaveLength(1);
    expect(list.body.payments[0]).toMatchObject({
      paymentId: retry.body.Data.DomesticPaymentId,
      idempotencyKey: 'p1',
    });
  });
});

/** Verifies a response's x-jws-signature as a TPP would, over the body bytes received. */
async function bankSignatureOf(res: { header: Record<string, string>; text: string }) {
  const header = res.header['x-jws-signature'];
  if (!header) return 'none';
  const [protectedPart, , signature] = header.split('.');
  const publicJwk = {
    ...bankJwk,
    d: undefined,
    p: undefined,
    q: undefined,
    dp: undefined,
    dq: undefined,
    qi: undefined,
  };
  try {
    const { protectedHeader } = await compactVerify(
      `${protectedPart}.${Buffer.from(res.text, 'utf8').toString('base64url')}.${signature}`,
      await importJWK(publicJwk, 'PS256'),
      { algorithms: ['PS256'], crit: Object.fromEntries(CRIT.map((c) => [c, true])) },
    );
    return protectedHeader;
  } catch {
    return 'invalid';
  }
}

describe('response signatures', () => {
  it('signs every PIS and VRP response over its exact bytes as the ASPSP; faults spoil or drop one', async () => {
    const { post, app } = setup();
    const created = await post(
      `${PIS_BASE_PATH}/domestic-payment-consents`,
      consentBody,
      'cc:tpp',
      'c1',
    );
    expect(created.status).toBe(201);
    expect(await bankSignatureOf(created)).toEqual({
      alg: 'PS256',
      kid: 'bank-k1',
      crit: CRIT,
      'http://openbanking.org.uk/iat': expect.any(Number),
      'http://openbanking.org.uk/iss': '0015800001041RMOCK',
      'http://openbanking.org.uk/tan': 'openbanking.org.uk',
    });
    const id = created.body.Data.ConsentId as string;
    const read = await request(app)
      .get(`${PIS_BASE_PATH}/domestic-payment-consents/${id}`)
      .set('authorization', 'Bearer cc:tpp');
    expect(read.status).toBe(200);
    expect(await bankSignatureOf(read)).toMatchObject({ kid: 'bank-k1' });
    // Errors are signed too (OB v4.0 lists x-jws-signature on 400, 403, 409 and 500).
    const missing = await request(app)
      .get(`${PIS_BASE_PATH}/domestic-payment-consents/nope`)
      .set('authorization', 'Bearer cc:tpp');
    expect(missing.status).toBe(404);
    expect(await bankSignatureOf(missing)).toMatchObject({ kid: 'bank-k1' });

    faults.set({ responseSignature: 'bad-signature' });
    const replay = await post(
      `${PIS_BASE_PATH}/domestic-payment-consents`,
      consentBody,
      'cc:tpp',
      'c1',
    );
    expect(replay.status).toBe(201);
    expect(replay.body.Data.ConsentId).toBe(id);
    expect(await bankSignatureOf(replay)).toBe('invalid');
    faults.set({ responseSignature: 'no-signature' });
    expect(
      await bankSignatureOf(
        await post(`${PIS_BASE_PATH}/domestic-payment-consents`, consentBody, 'cc:tpp', 'c1'),
      ),
    ).toBe('none');
    // Once by default: the next response is signed properly again.
    const again = await post(
      `${PIS_BASE_PATH}/domestic-payment-consents`,
      consentBody,
      'cc:tpp',
      'c1',
    );
    expect(await bankSignatureOf(again)).toMatchObject({ kid: 'bank-k1' });
    expect(() => faults.set({ responseSignature: 'sloppy' })).toThrow(
      /responseSignature must be one of bad-signature, no-signature/,
    );
  });
});

describe('payment faults', () => {
  it('validates the fault body like the other faults', async () => {
    const { app } = setup();
    const refused = async (body: object, message: RegExp) => {
      const res = await request(app).post('/__admin/faults/payments').send(body);
      expect(res.status).toBe(400);
      expect(res.body.error_description).toMatch(message);
    };
    await refused({ mode: 'explode' }, /mode must be one of cut-after-commit, delay-after-commit/);
    await refused({ mode: 'delay-after-commit' }, /delayMs must be a whole number/);
    await refused({ mode: 'delay-after-commit', delayMs: 0 }, /delayMs must be a whole number/);
    await refused({ mode: 'delay-after-commit', delayMs: 1.5 }, /delayMs must be a whole number/);
    await refused(
      { mode: 'delay-after-commit', delayMs: 600_001 },
      /delayMs must be a whole number/,
    );
    await refused({ mode: 'cut-after-commit', delayMs: 10 }, /only for mode delay-after-commit/);
    await refused({ mode: 'cut-after-commit', once: 'yes' }, /once must be a boolean/);
    const ok = await request(app)
      .post('/__admin/faults/payments')
      .send({ mode: 'delay-after-commit', delayMs: 250 });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ mode: 'delay-after-commit', delayMs: 250, once: true });
  });

  it('delay-after-commit: the bank commits, answers late, and a retry meanwhile is replayed', async () => {
    const { app, post, consents, accounts, events } = setup();
    const created = await post(
      `${PIS_BASE_PATH}/domestic-payment-consents`,
      consentBody,
      'cc:tpp',
      'c1',
    );
    const id = created.body.Data.ConsentId as string;
    consents.authorise(id, { psuId: 'psu', accountIds: [accounts[0].accountId] });
    await request(app)
      .post('/__admin/faults/payments')
      .send({ mode: 'delay-after-commit', delayMs: 3000 })
      .expect(200);
    const body = { Data: { ConsentId: id, Initiation: initiation }, Risk: {} };
    let answered = false;
    const slow = post(`${PIS_BASE_PATH}/domestic-payments`, body, `psu:tpp:${id}`, 'p1').then(
      (r) => {
        answered = true;
        return r;
      },
    );
    // Committed before the answer: the payment is there while the first caller still waits.
    for (
      let i = 0;
      i < 100 && (await request(app).get('/__admin/payments')).body.payments.length === 0;
      i++
    )
      await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    const retry = await post(`${PIS_BASE_PATH}/domestic-payments`, body, `psu:tpp:${id}`, 'p1');
    expect(retry.status).toBe(201);
    expect(answered).toBe(false);
    const first = await slow;
    expect(first.status).toBe(201);
    expect(first.body.Data.DomesticPaymentId).toBe(retry.body.Data.DomesticPaymentId);
    const list = await request(app).get('/__admin/payments');
    expect(list.body.payments).toHaveLength(1);
    expect(events.filter((e) => e.type === 'payment.created')).toEqual([
      expect.objectContaining({ consentId: id, idempotencyKey: 'p1' }),
    ]);
    expect(events.filter((e) => e.type === 'payment.idempotent-replay')).toEqual([
      expect.objectContaining({ consentId: id, idempotencyKey: 'p1' }),
    ]);
  }, 30_000);
});

describe('VRP resource server', () => {
  it('enforces the periodic limit: the third payment is refused with the OB error', async () => {
    const { post, consents, accounts, events } = setup();
    const vrpInitiation = { CreditorAccount: initiation.CreditorAccount };
    const created = await post(
      `${VRP_BASE_PATH}/domestic-vrp-consents`,
      {
        Data: {
          ControlParameters: {
            VRPType: ['UK.OBIE.VRPType.Sweeping'],
            PSUAuthenticationMethods: ['UK.OBIE.SCANotRequired'],
            MaximumIndividualAmount: { Amount: '50.00', Currency: 'GBP' },
            PeriodicLimits: [
              {
                PeriodType: 'Month',
                PeriodAlignment: 'Calendar',
                Amount: '100.00',
                Currency: 'GBP',
              },
            ],
          },
          Initiation: vrpInitiation,
        },
        Risk: {},
      },
      'cc:tpp',
      'v1',
    );
    expect(created.status).toBe(201);
    expect(vrpSpec.validateResponse('domesticVrpConsentsPost', 201, created.body)).toEqual([]);
    const id = created.body.Data.ConsentId as string;
    consents.authorise(id, { psuId: 'psu', accountIds: [accounts[0].accountId] });
    const pay = (amount: string, key: string) =>
      post(
        `${VRP_BASE_PATH}/domestic-vrps`,
        {
          Data: {
            ConsentId: id,
            PSUAuthenticationMethod: 'UK.OBIE.SCANotRequired',
            VRPType: 'UK.OBIE.VRPType.Sweeping',
            Initiation: vrpInitiation,
            Instruction: {
              InstructionIdentification: key,
              EndToEndIdentification: key,
              InstructedAmount: { Amount: amount, Currency: 'GBP' },
              CreditorAccount: initiation.CreditorAccount,
            },
          },
          Risk: {},
        },
        `psu:tpp:${id}`,
        key,
      );
    expect((await pay('60.00', 'too-big')).body.Errors[0].ErrorCode).toBe(VRP_LIMIT_ERROR_CODE);
    expect((await pay('45.00', 'a')).status).toBe(201);
    expect((await pay('45.00', 'b')).status).toBe(201);
    const third = await pay('45.00', 'c');
    expect(third.status).toBe(400);
    expect(third.body.Errors[0]).toMatchObject({ ErrorCode: VRP_LIMIT_ERROR_CODE });
    expect(vrpSpec.validateResponse('domesticVrpPost', 400, third.body)).toEqual([]);
    expect(events.filter((e) => e.type === 'vrp.created')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'vrp.refused')).toHaveLength(2);
  });
});

describe('quirk modes of the PIS and VRP resource servers', () => {
  const vrpConsent = {
    Data: {
      ReadRefundAccount: 'Yes',
      ControlParameters: {
        VRPType: ['UK.OBIE.VRPType.Sweeping'],
        PSUAuthenticationMethods: ['UK.OBIE.SCANotRequired'],
        MaximumIndividualAmount: { Amount: '50.00', Currency: 'GBP' },
        PeriodicLimits: [
          { PeriodType: 'Month', PeriodAlignment: 'Calendar', Amount: '100.00', Currency: 'GBP' },
        ],
      },
      Initiation: { CreditorAccount: initiation.CreditorAccount },
    },
    Risk: {},
  };
  const vrp = (consentId: string, key: string, vrpType?: string) => ({
    Data: {
      ConsentId: consentId,
      PSUAuthenticationMethod: 'UK.OBIE.SCANotRequired',
      ...(vrpType ? { VRPType: vrpType } : {}),
      Initiation: { CreditorAccount: initiation.CreditorAccount },
      Instruction: {
        InstructionIdentification: key,
        EndToEndIdentification: key,
        InstructedAmount: { Amount: '5.00', Currency: 'GBP' },
        CreditorAccount: initiation.CreditorAccount,
      },
    },
    Risk: {},
  });
  const authorisedVrpConsent = async (t: ReturnType<typeof setup>) => {
    const created = await t.post(
      `${VRP_BASE_PATH}/domestic-vrp-consents`,
      vrpConsent,
      'cc:tpp',
      'c',
    );
    expect(created.status).toBe(201);
    const id = created.body.Data.ConsentId as string;
    t.consents.authorise(id, { psuId: 'psu', accountIds: [t.accounts[0].accountId] });
    return id;
  };

  it('refuseVrpType: a VRP with Data.VRPType is refused, one without it is paid; the standard bank wants it', async () => {
    const quirky = setup({ refuseVrpType: true });
    const id = await authorisedVrpConsent(quirky);
    const refused = await quirky.post(
      `${VRP_BASE_PATH}/domestic-vrps`,
      vrp(id, 'a', 'UK.OBIE.VRPType.Sweeping'),
      `psu:tpp:${id}`,
      'a',
    );
    expect(refused.status).toBe(400);
    expect(refused.body.Errors[0]).toMatchObject({ Path: 'Data.VRPType' });
    const paid = await quirky.post(
      `${VRP_BASE_PATH}/domestic-vrps`,
      vrp(id, 'b'),
      `psu:tpp:${id}`,
      'b',
    );
    expect(paid.status).toBe(201);
    // The refund account the consent asked for, in the standard shape (quirkyResponseBody nests it).
    expect(paid.body.Data.Refund).toEqual((quirky.accounts[0].account.Account as unknown[])[0]);

    const standard = setup();
    const standardId = await authorisedVrpConsent(standard);
    const missing = await standard.post(
      `${VRP_BASE_PATH}/domestic-vrps`,
      vrp(standardId, 'c'),
      `psu:tpp:${standardId}`,
      'c',
    );
    expect(missing.status).toBe(400);
    expect(missing.body.Errors[0]).toMatchObject({ ErrorCode: 'U003', Path: 'Data.VRPType' });
  });

  it('jwsB64Header: only a signature with b64 false over the unencoded payload is accepted', async () => {
    const quirky = setup({ jwsB64Header: true });
    const ok = await quirky.post(
      `${PIS_BASE_PATH}/domestic-payment-consents`,
      consentBody,
      'cc:tpp',
      'k',
    );
    expect(ok.status).toBe(201);
    const raw = JSON.stringify(consentBody);
    const attempt = (sig: string) =>
      request(quirky.app)
        .post(`${PIS_BASE_PATH}/domestic-payment-consents`)
        .set('authorization', 'Bearer cc:tpp')
        .set('content-type', 'application/json')
        .set('x-idempotency-key', `k-${Math.random()}`)
        .set('x-jws-signature', sig)
        .send(raw);
    // The v3.1.4+ signature (no b64) is what this bank refuses.
    const plain = await attempt(await sign(raw));
    expect([plain.status, plain.body.Errors[0].ErrorCode]).toEqual([400, 'U017']);
    // b64 false but signed over the base64url payload: does not verify.
    const encoded = await attempt(await sign(raw, { b64: false, crit: ['b64', ...CRIT] }));
    expect([encoded.status, encoded.body.Errors[0].ErrorCode]).toEqual([400, 'U015']);
    // b64 false without b64 in crit.
    const noCrit = await attempt(await sign(raw, { b64: false }, { b64Header: true }));
    expect([noCrit.status, noCrit.body.Errors[0].ErrorCode]).toEqual([400, 'U016']);
    // And the standard bank refuses the b64 header.
    const standard = setup();
    const refused = await request(standard.app)
      .post(`${PIS_BASE_PATH}/domestic-payment-consents`)
      .set('authorization', 'Bearer cc:tpp')
      .set('content-type', 'application/json')
      .set('x-idempotency-key', 'k-b64')
      .set(
        'x-jws-signature',
        await sign(raw, { b64: false, crit: ['b64', ...CRIT] }, { b64Header: true }),
      )
      .send(raw);
    expect([refused.status, refused.body.Errors[0].ErrorCode]).toEqual([400, 'U016']);
  });
});
