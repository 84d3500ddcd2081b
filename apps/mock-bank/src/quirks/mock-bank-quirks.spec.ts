import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import {
  CONFIGURED_API_FINANCIAL_ID,
  MockBankQuirksError,
  parseMockBankQuirks,
  quirksFromProfile,
  STANDARD_MOCK_BANK_QUIRKS,
} from './mock-bank-quirks';
import { INVALID_DATE_TIME, QuirkRewriter, quirkyResponseBody } from './quirk-rewriter';

const PROFILES = join(__dirname, '../../../../bank-profiles');

describe('mock bank quirk modes', () => {
  it('parses a partial quirk set over the standard and refuses unknown or wrong members', () => {
    const q = parseMockBankQuirks({
      registration: { audience: 'issuer' },
      postCreateConsentDelayMs: 50,
    });
    expect(q.registration).toEqual({
      ...STANDARD_MOCK_BANK_QUIRKS.registration,
      audience: 'issuer',
    });
    expect(q.postCreateConsentDelayMs).toBe(50);
    expect(parseMockBankQuirks(undefined)).toEqual(STANDARD_MOCK_BANK_QUIRKS);
    expect(() => parseMockBankQuirks({ registration: { audiance: 'issuer' } })).toThrow(
      /quirks\.registration\.audiance is not a known quirk/,
    );
    expect(() => parseMockBankQuirks({ idToken: { subject: 'psu' } })).toThrow(MockBankQuirksError);
    expect(() => parseMockBankQuirks({ postCreateConsentDelayMs: -1 })).toThrow(/0 to 60000/);
  });

  it('derives the strict bank a profile describes', () => {
    const obie = quirksFromProfile(
      JSON.parse(readFileSync(join(PROFILES, 'obie-model-bank-sandbox.json'), 'utf8')),
    );
    expect(obie.registration).toMatchObject({
      audience: 'financial-id',
      requestContentType: 'application/jwt',
      clientIdIssuedAtUnit: 'milliseconds',
      subjectDnFormat: 'string',
      mode: 'dcr',
    });
    // A profile that states no subjectDnFormat gets the schema default, 'oid'.
    expect(quirksFromProfile({ registration: { mode: 'dcr' } }).registration.subjectDnFormat).toBe(
      'oid',
    );
    expect(obie.discovery).toEqual({
      wellKnownPath: '/.well-known/openid-configuration',
      omitMembers: [],
      served: true,
    });
    expect(
      quirksFromProfile({ discovery: { metadataOverrides: { jwks_uri: 'https://x/jwks' } } })
        .discovery.omitMembers,
    ).toEqual(['jwks_uri']);
    expect(
      quirksFromProfile({
        issuerUrl: 'https://as.bank.example/oidc',
        wellKnownUrl: 'https://as.bank.example/oidc/.well-known/openid-configuration',
      }).discovery.wellKnownPath,
    ).toBe('/.well-known/openid-configuration');
    expect(
      quirksFromProfile({
        issuerUrl: 'https://as.bank.example',
        wellKnownUrl: 'https://as.bank.example/config/openid.json',
      }).discovery.wellKnownPath,
    ).toBe('/config/openid.json');
    const quirky = quirksFromProfile({
      registration: { mode: 'manual', scopeFormat: 'array', getSupported: false },
      quirks: {
        postCreateConsentDelayMs: 200,
        idToken: { subject: 'user-id', nonceOptional: true, expInMilliseconds: true },
        tokenEndpoint: { noRefreshTokenForPayments: true },
        accountAccess: { unsupportedPermissions: ['ReadOffers'] },
        responses: { repairDateTimes: true },
      },
    });
    expect(quirky).toMatchObject({
      registration: {
        mode: 'manual',
        scopeFormat: 'array',
        getSupported: false,
        audience: 'issuer',
      },
      idToken: {
        subject: 'user-id',
        omitNonceAtTokenEndpoint: true,
        expInMilliseconds: true,
        omitAcr: false,
      },
      tokenEndpoint: { noRefreshTokenForPayments: true, tokenType: 'Bearer' },
      accountAccess: { unsupportedPermissions: ['ReadOffers'] },
      responses: { brokenDateTimes: true, links: 'standard' },
      postCreateConsentDelayMs: 200,
    });
    expect(quirky.authorisation).toEqual(STANDARD_MOCK_BANK_QUIRKS.authorisation);
    expect(quirky.idToken).toMatchObject({ issuer: 'issuer', omitIntentId: false });
    // The audience the profile names; code id_token (the default) answered in the query.
    expect(
      quirksFromProfile(JSON.parse(readFileSync(join(PROFILES, 'natwest.json'), 'utf8')))
        .authorisation.requestObjectAudience,
    ).toBe('https://secure1.natwest.com');
    expect(
      quirksFromProfile({ quirks: { authorisation: { responseMode: 'query' } } }).authorisation,
    ).toMatchObject({ requestObjectAudience: 'issuer', hybridResponseInQuery: true });
    expect(
      quirksFromProfile({
        quirks: { authorisation: { responseType: 'code', responseMode: 'query', pkce: true } },
      }).authorisation.hybridResponseInQuery,
    ).toBe(false);
    expect(() =>
      parseMockBankQuirks({ authorisation: { requestObjectAudience: 'two words' } }),
    ).toThrow(/requestObjectAudience/);
  });

  it('derives the ID-token issuer, the intent-id claim, the intent-id prefix and app links', () => {
    // NatWest Group: ID tokens carry the request-object audience as iss.
    const natwest = quirksFromProfile(
      JSON.parse(readFileSync(join(PROFILES, 'natwest.json'), 'utf8')),
    );
    expect(natwest.idToken.issuer).toBe('https://secure1.natwest.com');
    expect(
      quirksFromProfile({ quirks: { idToken: { issuer: 'https://id.bank.example' } } }).idToken
        .issuer,
    ).toBe('https://id.bank.example');
    const revolut = quirksFromProfile(
      JSON.parse(readFileSync(join(PROFILES, 'revolut.json'), 'utf8')),
    );
    expect(revolut.idToken.omitIntentId).toBe(true);
    const zopa = quirksFromProfile(JSON.parse(readFileSync(join(PROFILES, 'zopa.json'), 'utf8')));
    expect(zopa.authorisation.appLinks).toEqual({
      'account-access': '',
      'domestic-payment': 'zopa://open-banking/pis-single-payment-consent',
      'domestic-vrp': '',
    });
    expect(
      quirksFromProfile({ quirks: { authorisation: { intentIdPrefix: 'pfx:' } } }).authorisation
        .intentIdPrefix,
    ).toBe('pfx:');
    expect(() =>
      parseMockBankQuirks({ authorisation: { appLinks: { 'domestic-payment': 'not a link' } } }),
    ).toThrow(/appLinks\.domestic-payment/);
    expect(() => parseMockBankQuirks({ authorisation: { appLinks: { bulk: 'a://b' } } })).toThrow(
      /not a known quirk/,
    );
  });

  it('insists on the subject_type and subject DN spelling a profile names, and on one client per software for a sharing brand', () => {
    expect(quirksFromProfile({}).registration).toMatchObject({
      subjectType: 'any',
      subjectDnFormat: 'oid',
    });
    expect(
      quirksFromProfile({
        registration: { subjectType: 'pairwise', subjectDnFormat: 'string' },
      }).registration,
    ).toMatchObject({ subjectType: 'pairwise', subjectDnFormat: 'string' });
    expect(
      quirksFromProfile({ registration: { subjectDnFormat: 'oid-hex' } }).registration
        .subjectDnFormat,
    ).toBe('oid-hex');
    expect(() => parseMockBankQuirks({ registration: { subjectDnFormat: 'hex' } })).toThrow();
    expect(quirksFromProfile({}).registration.oneClientPerSoftware).toBe(false);
    expect(
      quirksFromProfile({ registration: { sharedWith: 'group-bank' } }).registration
        .oneClientPerSoftware,
    ).toBe(true);
    expect(() => parseMockBankQuirks({ registration: { subjectType: 'private' } })).toThrow(
      /registration\.subjectType must be one of any, public, pairwise/,
    );
  });

  describe('QuirkRewriter', () => {
    let jwk: JWK;
    let idToken: string;
    const now = Math.floor(Date.now() / 1000);

    beforeAll(async () => {
      const { privateKey } = await generateKeyPair('PS256', { extractable: true });
      jwk = { ...(await exportJWK(privateKey)), kid: 'bank-1', alg: 'PS256' };
      idToken = await new SignJWT({
        sub: 'pdc-1',
        openbanking_intent_id: 'pdc-1',
        aud: 'client-9',
        iss: 'https://bank',
        nonce: 'n-1',
        acr: 'urn:openbanking:psd2:sca',
        auth_time: now,
        iat: now,
        exp: now + 300,
      })
        .setProtectedHeader({ alg: 'PS256', kid: 'bank-1' })
        .sign(privateKey);
    });

    const rewriter = (patch: Record<string, unknown>) =>
      new QuirkRewriter(parseMockBankQuirks(patch), jwk, (id) =>
        id === 'pdc-1' ? 'psu-7' : undefined,
      );

    it('is inactive for the standard bank', () => {
      expect(rewriter({}).active).toBe(false);
      expect(rewriter({ tokenEndpoint: { tokenType: 'bearer' } }).active).toBe(true);
    });

    it('rewrites token responses: token_type case, no refresh token for payments, ID token claims', async () => {
      const r = rewriter({
        tokenEndpoint: { tokenType: 'bearer', noRefreshTokenForPayments: true },
        idToken: {
          subject: 'user-id',
          omitAcr: true,
          omitAuthTime: true,
          omitNonceAtTokenEndpoint: true,
          expInMilliseconds: true,
        },
      });
      const body = {
        access_token: 'a',
        token_type: 'Bearer',
        refresh_token: 'r',
        id_token: idToken,
      };
      const payments = await r.tokenResponse({ ...body, scope: 'openid payments' });
      expect(payments.token_type).toBe('bearer');
      expect(payments.refresh_token).toBeUndefined();
      const claims = decodeJwt(String(payments.id_token));
      expect(claims).toMatchObject({ sub: 'psu-7', exp: (now + 300) * 1000, iat: now * 1000 });
      expect(claims.acr).toBeUndefined();
      expect(claims.auth_time).toBeUndefined();
      expect(claims.nonce).toBeUndefined();
      const accounts = await r.tokenResponse({ ...body, scope: 'openid accounts' });
      expect(accounts.refresh_token).toBe('r');
    });

    it('writes the named iss and leaves openbanking_intent_id out, re-signed', async () => {
      const r = rewriter({
        idToken: { issuer: 'https://secure1.bank', omitIntentId: true, subject: 'user-id' },
      });
      expect(r.active).toBe(true);
      const body = await r.tokenResponse({ access_token: 'a', id_token: idToken });
      const claims = decodeJwt(String(body.id_token));
      expect(claims).toMatchObject({ iss: 'https://secure1.bank', sub: 'psu-7', nonce: 'n-1' });
      expect(claims.openbanking_intent_id).toBeUndefined();
    });

    it('keeps the nonce in the front channel and can set sub to the client id', async () => {
      const r = rewriter({ idToken: { subject: 'client-id', omitNonceAtTokenEndpoint: true } });
      const location = await r.authorisationRedirect(
        `https://tpp.example/cb#code=c&state=s&id_token=${idToken}`,
      );
      const claims = decodeJwt(
        new URLSearchParams(new URL(location).hash.slice(1)).get('id_token')!,
      );
      expect(claims).toMatchObject({ sub: 'client-9', nonce: 'n-1' });
    });
  });

  it('writes Links on another host or over http and date-times without an offset', () => {
    const body = {
      Data: { ConsentId: 'c', CreationDateTime: '2026-12-06T10:15:30+01:00', Status: 'AWAU' },
      Links: { Self: 'https://localhost:8443/open-banking/v4.0/aisp/accounts?page=2' },
    };
    const standard = STANDARD_MOCK_BANK_QUIRKS.responses;
    expect(quirkyResponseBody(body, standard, 'https://localhost:8443')).toBe(body);
    expect(
      quirkyResponseBody(
        body,
        { ...standard, links: 'http', brokenDateTimes: true },
        'https://localhost:8443',
      ),
    ).toEqual({
      Data: { ConsentId: 'c', CreationDateTime: '2026-12-06T09:15:30.000', Status: 'AWAU' },
      Links: { Self: 'http://localhost:8443/open-banking/v4.0/aisp/accounts?page=2' },
    });
    expect(
      quirkyResponseBody(body, { ...standard, links: 'other-host' }, 'https://localhost:8443'),
    ).toMatchObject({
      Links: { Self: 'https://api-gateway.bank.example/open-banking/v4.0/aisp/accounts?page=2' },
    });
  });

  it('derives the request quirks and response repairs a profile describes', () => {
    expect(quirksFromProfile({}).requests).toEqual(STANDARD_MOCK_BANK_QUIRKS.requests);
    expect(
      quirksFromProfile({
        quirks: { requests: { omitVrpType: true } },
        messageSigning: { b64Header: true },
      }).requests,
    ).toMatchObject({ refuseVrpType: true, jwsB64Header: true });
    // An API under another id: named in the profile, or configured (the contract's value).
    expect(
      quirksFromProfile({
        apis: { paymentInitiation: { version: 'v4.0', financialId: '0015800000LLOYDS' } },
        requiredConfiguration: ['financialId', 'apis.variableRecurringPayments.financialId'],
      }).requests.financialIds,
    ).toEqual({
      accountAndTransaction: 'bank',
      paymentInitiation: '0015800000LLOYDS',
      variableRecurringPayments: CONFIGURED_API_FINANCIAL_ID,
    });
    expect(
      quirksFromProfile({
        quirks: { responses: { invalidDateTimes: 'drop', unnestVrpRefundAccount: true } },
      }).responses,
    ).toMatchObject({ invalidDateTimes: true, nestVrpRefundAccount: true });
    expect(
      quirksFromProfile({ quirks: { responses: { invalidDateTimes: 'keep' } } }).responses,
    ).toMatchObject({ invalidDateTimes: false, nestVrpRefundAccount: false });
    expect(() =>
      parseMockBankQuirks({ requests: { financialIds: { paymentInitiation: 'two words' } } }),
    ).toThrow(/'any', 'bank' or a financial id/);
  });

  it('adds a trailing slash to Links, writes a direct debit date that is none, nests a VRP refund account', () => {
    const standard = STANDARD_MOCK_BANK_QUIRKS.responses;
    const ais = {
      Data: {
        DirectDebit: [{ DirectDebitId: 'dd-1', PreviousPaymentDateTime: '2026-11-30T00:00:00Z' }],
      },
      Links: {
        Self: 'https://localhost:8443/open-banking/v4.0/aisp/accounts/a1/direct-debits?x=1',
      },
    };
    expect(
      quirkyResponseBody(
        ais,
        { ...standard, linksAddSlash: true, invalidDateTimes: true },
        'https://localhost:8443',
      ),
    ).toEqual({
      Data: {
        DirectDebit: [{ DirectDebitId: 'dd-1', PreviousPaymentDateTime: INVALID_DATE_TIME }],
      },
      Links: {
        Self: 'https://localhost:8443/open-banking/v4.0/aisp/accounts/a1/direct-debits/?x=1',
      },
    });
    const account = { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '1', Name: 'A' };
    const vrp = { Data: { DomesticVRPId: 'v-1', Refund: account }, Links: {} };
    expect(
      quirkyResponseBody(
        vrp,
        { ...standard, nestVrpRefundAccount: true },
        'https://localhost:8443',
      ),
    ).toEqual({ Data: { DomesticVRPId: 'v-1', Refund: { Account: account } }, Links: {} });
    // Only a domestic VRP's refund account.
    const payment = { Data: { DomesticPaymentId: 'p-1', Refund: account } };
    expect(
      quirkyResponseBody(
        payment,
        { ...standard, nestVrpRefundAccount: true },
        'https://localhost:8443',
      ),
    ).toEqual(payment);
  });
});
