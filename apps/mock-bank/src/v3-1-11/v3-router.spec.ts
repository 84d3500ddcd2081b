import { constants, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { join } from 'node:path';
import express from 'express';
import type { JWK } from 'jose';
import request from 'supertest';
import { aisRouter } from '../ais/ais.router';
import { ConsentStore } from '../consents/consent-store';
import { sampleAccounts, sampleParty } from '../data/sample-data';
import { PaymentStore } from '../payments/payment-store';
import type { ResourceAccessToken } from '../payments/resource-pipeline';
import { PIS_OPERATIONS, pisRouter } from '../pis/pis.router';
import { SpecValidator } from '../spec-validation/spec-validator';
import { SPECS_DIR } from '../testing/test-bank';
import { VRP_OPERATIONS, vrpRouter } from '../vrp/vrp.router';
import { AIS_OPERATIONS } from '../ais/ais.router';
import { loadV3Specs, mountV3, V3_BASE_PATHS } from './mount';

const v4 = (file: string, expectedOperations: string[]) =>
  SpecValidator.load(join(SPECS_DIR, 'v4.0', file), { expectedOperations });
const v3Specs = loadV3Specs(SPECS_DIR);

const fakeVerifier = {
  verify: (req: express.Request): Promise<ResourceAccessToken> => {
    const [kind, clientId, consentId] = (req.header('authorization') ?? '')
      .replace('Bearer ', '')
      .split(':');
    return Promise.resolve({
      clientId,
      scopes: ['payments', 'accounts'],
      grantType: kind === 'cc' ? 'client_credentials' : 'authorization_code',
      consentId,
      expiresAt: 0,
    });
  },
};

// Signed by hand like a TPP (jose refuses unknown crit headers).
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicJwk: JWK = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid: 'k1', use: 'sig' };
function sign(raw: string): string {
  const header = Buffer.from(
    JSON.stringify({
      alg: 'PS256',
      kid: 'k1',
      crit: [
        'http://openbanking.org.uk/iat',
        'http://openbanking.org.uk/iss',
        'http://openbanking.org.uk/tan',
      ],
      'http://openbanking.org.uk/iat': Math.floor(Date.now() / 1000),
      'http://openbanking.org.uk/iss': 'org-1/soft-1',
      'http://openbanking.org.uk/tan': 'openbanking.org.uk',
    }),
  ).toString('base64url');
  const input = `${header}.${Buffer.from(raw).toString('base64url')}`;
  const signature = cryptoSign('sha256', Buffer.from(input), {
    key: privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: 32,
  }).toString('base64url');
  return `${header}..${signature}`;
}

function setup() {
  const consents = new ConsentStore();
  const accounts = sampleAccounts(new Date('2025-06-15T00:00:00Z'));
  const events: { type: string; error?: string; endpoint?: string }[] = [];
  const ledger = { record: (e: { type: string }) => void events.push(e) };
  const clients = {
    find: () =>
      Promise.resolve({
        jwks: { keys: [publicJwk] },
        organisationId: 'org-1',
        softwareId: 'soft-1',
      }),
  };
  const deps = {
    verifier: fakeVerifier,
    clients,
    consents,
    payments: new PaymentStore(accounts),
    ledger,
    baseUrl: 'https://bank.example',
  };
  const app = express();
  mountV3(app, {
    specs: v3Specs,
    routers: {
      ais: aisRouter({
        verifier: fakeVerifier,
        consents,
        ledger,
        spec: v4('account-info-openapi.json', AIS_OPERATIONS),
        baseUrl: 'https://bank.example',
        accounts,
        psuParty: sampleParty,
      }),
      pis: pisRouter({ ...deps, spec: v4('payment-initiation-openapi.json', PIS_OPERATIONS) }),
      vrp: vrpRouter({ ...deps, spec: v4('vrp-openapi.json', VRP_OPERATIONS) }),
    },
    ledger,
    verifier: fakeVerifier,
    clients,
  });
  const post = (path: string, body: unknown, signature?: string) => {
    const raw = JSON.stringify(body);
    return request(app)
      .post(path)
      .set('authorization', 'Bearer cc:tpp')
      .set('content-type', 'application/json')
      .set('x-idempotency-key', `k-${Math.random()}`)
      .set('x-jws-signature', signature ?? sign(raw))
      .send(raw);
  };
  return { app, events, post };
}

const v3Initiation = {
  InstructionIdentification: 'instr-1',
  EndToEndIdentification: 'e2e-1',
  InstructedAmount: { Amount: '10.50', Currency: 'GBP' },
  CreditorAccount: {
    SchemeName: 'UK.OBIE.SortCodeAccountNumber',
    Identification: '08080021325698',
    Name: 'ACME Inc',
  },
  CreditorPostalAddress: { AddressType: 'Business', TownName: 'London', Country: 'GB' },
  RemittanceInformation: { Unstructured: 'Invoice 7', Reference: 'INV-7' },
};
const v3Consent = {
  Data: { Initiation: v3Initiation },
  Risk: { PaymentContextCode: 'PartyToParty', ContractPresentInidicator: true },
};

describe('the mock bank in v3.1.11', () => {
  it('takes a v3.1.11 payment consent and answers in v3.1.11, valid against its document', async () => {
    const { post, events } = setup();
    const res = await post(`${V3_BASE_PATHS.pis}/domestic-payment-consents`, v3Consent);
    expect(res.status).toBe(201);
    expect(res.body.Data.Status).toBe('AwaitingAuthorisation');
    expect(res.body.Data.Initiation).toEqual(v3Initiation);
    expect(res.body.Risk).toEqual({ ContractPresentInidicator: true });
    expect(res.body.Links.Self).toBe(
      `https://bank.example${V3_BASE_PATHS.pis}/domestic-payment-consents/${res.body.Data.ConsentId}`,
    );
    expect(v3Specs.pis.validateResponse('CreateDomesticPaymentConsents', 201, res.body)).toEqual(
      [],
    );
    expect(events).toEqual([]);
  });

  it('refuses a v4.0-shaped body by the v3.1.11 document, before the v4.0 router', async () => {
    const { post, events } = setup();
    const res = await post(`${V3_BASE_PATHS.pis}/domestic-payment-consents`, {
      ...v3Consent,
      Data: {
        Initiation: { ...v3Initiation, RemittanceInformation: { Unstructured: ['Invoice 7'] } },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.Errors[0].ErrorCode).toBe('UK.OBIE.Field.Invalid');
    expect(events).toEqual([
      expect.objectContaining({
        type: 'spec.rejected',
        endpoint: `POST ${V3_BASE_PATHS.pis}/domestic-payment-consents`,
      }),
    ]);
  });

  it('checks the signature over the v3.1.11 bytes it received', async () => {
    const { post, events } = setup();
    const res = await post(
      `${V3_BASE_PATHS.pis}/domestic-payment-consents`,
      v3Consent,
      sign(JSON.stringify({ ...v3Consent, Risk: {} })),
    );
    expect(res.status).toBe(400);
    expect(res.body.Errors[0].ErrorCode).toMatch(/^UK\.OBIE\.Signature\./);
    expect(events.map((e) => e.type)).toEqual(['jws.rejected']);
  });

  it('serves VRP consents under /pisp, as the v3.1.11 VRP document declares, and under /vrp', async () => {
    const { post, events } = setup();
    const body = {
      Data: {
        ControlParameters: {
          VRPType: ['UK.OBIE.VRPType.Sweeping'],
          PSUAuthenticationMethods: ['UK.OBIE.SCANotRequired'],
          MaximumIndividualAmount: { Amount: '50.00', Currency: 'GBP' },
          PeriodicLimits: [
            { PeriodType: 'Month', PeriodAlignment: 'Calendar', Amount: '100.00', Currency: 'GBP' },
          ],
        },
        Initiation: { CreditorAccount: v3Initiation.CreditorAccount },
      },
      Risk: {},
    };
    for (const base of [V3_BASE_PATHS.pis, V3_BASE_PATHS.vrp]) {
      const res = await post(`${base}/domestic-vrp-consents`, body);
      expect(res.status).toBe(201);
      expect(res.body.Data.Status).toBe('AwaitingAuthorisation');
      expect(res.body.Links.Self).toContain(`${base}/domestic-vrp-consents/`);
    }
    expect(events).toEqual([]);
  });
});
