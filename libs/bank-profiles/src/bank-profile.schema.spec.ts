import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkProfileFile } from './check-profile-file';
import { readProfileFile } from './bank-profile-file';
import { BANK_PROFILE_SCHEMA, validateProfileDocument } from './bank-profile.schema';
import { profileDocument } from './testing/bank-profile.builder';
import {
  DEFAULT_MESSAGE_SIGNING,
  STANDARD_DISCOVERY,
  STANDARD_QUIRKS,
  STANDARD_REGISTRATION,
} from './bank-profile.types';

const SHIPPED_DIR = join(__dirname, '../../../bank-profiles');

type Node = Record<string, unknown>;

/** Every subschema that describes a property, array item or definition. */
function walk(node: unknown, path: string, visit: (node: Node, path: string) => void): void {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
  const n = node as Node;
  visit(n, path);
  for (const key of ['properties', '$defs']) {
    const children = n[key] as Node | undefined;
    for (const [name, child] of Object.entries(children ?? {}))
      walk(child, `${path}/${key}/${name}`, visit);
  }
  if (n.items) walk(n.items, `${path}/items`, visit);
}

describe('bank profile schema', () => {
  it('has a description on every property, item and definition', () => {
    const missing: string[] = [];
    walk(BANK_PROFILE_SCHEMA, '', (n, path) => {
      if (typeof n.description !== 'string' || n.description.length < 10) missing.push(path || '/');
    });
    expect(missing).toEqual([]);
  });

  it('closes every object (additionalProperties: false)', () => {
    const open: string[] = [];
    walk(BANK_PROFILE_SCHEMA, '', (n, path) => {
      // A map by design (discovery.metadataOverrides) names its keys and constrains its values.
      const constrainedMap = typeof n.additionalProperties === 'object' && n.propertyNames;
      if (n.type === 'object' && n.additionalProperties !== false && !constrainedMap)
        open.push(path || '/');
    });
    expect(open).toEqual([]);
  });

  it.each(readdirSync(SHIPPED_DIR).filter((f) => /\.(json|ya?ml)$/.test(f)))(
    'accepts the shipped profile %s',
    (file) => {
      expect(checkProfileFile(join(SHIPPED_DIR, file))).toEqual({ ok: true, errors: [] });
    },
  );

  it('ships the mock bank and the OBIE model bank sandbox', () => {
    const mock = readProfileFile(join(SHIPPED_DIR, 'mock-bank.json'));
    const obie = readProfileFile(join(SHIPPED_DIR, 'obie-model-bank-sandbox.json'));
    if (!mock.ok || !obie.ok) throw new Error('shipped profiles must load');
    expect(mock.definition.apis.variableRecurringPayments).toEqual({
      version: 'v4.0',
      baseUrl: 'https://localhost:8443/open-banking/v4.0/vrp',
    });
    expect(mock.definition.registration.defaultScopes).toEqual([
      'openid',
      'accounts',
      'payments',
      'fundsconfirmations',
    ]);
    expect(obie.definition.financialId).toBe('0015800001041RHAAY');
    expect(obie.definition.registration.audience).toBe('financial-id');
  });

  it('applies defaults so files state only what differs from the standard', () => {
    const result = validateProfileDocument(profileDocument(), 'x.json');
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.definition.registration).toEqual({
      mode: 'dcr',
      dcrVersion: '3.3',
      requestContentType: 'application/jwt',
      audience: 'issuer',
      getSupported: true,
      deleteSupported: true,
      managementAuth: 'client-credentials',
      subjectDnFormat: 'oid',
      scopeFormat: 'space-separated',
      clientIdIssuedAtUnit: 'seconds',
      defaultScopes: ['openid', 'accounts', 'payments'],
      separateClientsPerApi: false,
      grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
    });
    expect(result.definition.registration).toEqual(STANDARD_REGISTRATION);
    expect(result.definition.discovery).toEqual(STANDARD_DISCOVERY);
    expect(result.definition.quirks).toEqual(STANDARD_QUIRKS);
    expect(result.definition.requiredConfiguration).toEqual([]);
    expect(result.definition.messageSigning).toEqual(DEFAULT_MESSAGE_SIGNING);
  });

  it("messageSigning: verification on, with the bank's keys and issuer; bad values refused", () => {
    const on = validateProfileDocument(
      profileDocument('s', {
        messageSigning: {
          verifyResponseSignatures: true,
          jwksUrl:
            'https://keystore.openbankingtest.org.uk/0015800001041TEST/0015800001041TEST.jwks',
          issuer: '0015800001041TEST',
        },
      }),
      's.json',
    );
    if (!on.ok) throw new Error(on.problems.join('\n'));
    expect(on.definition.messageSigning).toEqual({
      verifyResponseSignatures: true,
      jwksUrl: 'https://keystore.openbankingtest.org.uk/0015800001041TEST/0015800001041TEST.jwks',
      issuer: '0015800001041TEST',
      trustAnchor: 'openbanking.org.uk',
      b64Header: false,
    });
    for (const messageSigning of [
      { verifyResponseSignatures: 'yes' },
      { jwksUrl: 'ftp://keys.example/jwks' },
      { issuer: '' },
      { verifyResponseSignature: true },
      { b64Header: 'yes' },
    ]) {
      const bad = validateProfileDocument(profileDocument('s', { messageSigning }), 's.json');
      expect([messageSigning, bad.ok]).toEqual([messageSigning, false]);
    }
  });

  it('request shaping, response repairs and per-API financial ids: defaults, values, bad values refused', () => {
    const standard = validateProfileDocument(profileDocument('s'), 's.json');
    if (!standard.ok) throw new Error(standard.problems.join('\n'));
    expect(standard.definition.quirks.requests).toEqual({ omitVrpType: false });
    expect(standard.definition.quirks.responses).toEqual({
      repairDateTimes: false,
      invalidDateTimes: 'keep',
      unnestVrpRefundAccount: false,
    });
    const set = validateProfileDocument(
      profileDocument('s', {
        apis: {
          paymentInitiation: {
            version: 'v4.0',
            baseUrl: 'https://rs.bank.example/open-banking/v4.0/pisp',
            financialId: '0015800000PAYMENTS',
          },
        },
        requiredConfiguration: ['apis.variableRecurringPayments.financialId'],
        quirks: {
          requests: { omitVrpType: true },
          responses: { invalidDateTimes: 'drop', unnestVrpRefundAccount: true },
        },
      }),
      's.json',
    );
    if (!set.ok) throw new Error(set.problems.join('\n'));
    expect(set.definition.apis.paymentInitiation?.financialId).toBe('0015800000PAYMENTS');
    expect(set.definition.quirks.requests.omitVrpType).toBe(true);
    expect(set.definition.quirks.responses.invalidDateTimes).toBe('drop');
    for (const patch of [
      { quirks: { requests: { omitVrpType: 'yes' } } },
      { quirks: { requests: { omitVRPType: true } } },
      { quirks: { responses: { invalidDateTimes: 'null' } } },
      { quirks: { responses: { unnestVrpRefundAccount: 1 } } },
      { apis: { paymentInitiation: { version: 'v4.0', financialId: '' } } },
    ]) {
      const bad = validateProfileDocument(profileDocument('s', patch), 's.json');
      expect([patch, bad.ok]).toEqual([patch, false]);
    }
  });

  it('does not modify the document it validates', () => {
    const doc = profileDocument();
    const before = JSON.stringify(doc);
    validateProfileDocument(doc, 'x.json');
    expect(JSON.stringify(doc)).toBe(before);
  });

  it('keeps an explicit value over the default', () => {
    const result = validateProfileDocument(
      profileDocument('b', {
        registration: { scopeFormat: 'array' },
        quirks: { postCreateConsentDelayMs: 250 },
      }),
      'b.json',
    );
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.definition.registration.scopeFormat).toBe('array');
    expect(result.definition.registration.mode).toBe('dcr');
    expect(result.definition.quirks.postCreateConsentDelayMs).toBe(250);
  });

  it('validates registration.subjectDnFormat: oid, oid-hex or string', () => {
    for (const subjectDnFormat of ['oid', 'oid-hex', 'string']) {
      const ok = validateProfileDocument(
        profileDocument('d', { registration: { subjectDnFormat } }),
        'd.json',
      );
      if (!ok.ok) throw new Error(ok.problems.join('\n'));
      expect(ok.definition.registration.subjectDnFormat).toBe(subjectDnFormat);
    }
    for (const subjectDnFormat of ['hex', 'OID-HEX', 'organizationIdentifier']) {
      const bad = validateProfileDocument(
        profileDocument('d', { registration: { subjectDnFormat } }),
        'd.json',
      );
      expect([subjectDnFormat, bad.ok]).toEqual([subjectDnFormat, false]);
    }
  });

  it('validates the discovery quirks: overrides of discovery members, the issuer mismatch flag', () => {
    const ok = validateProfileDocument(
      profileDocument('d', {
        discovery: {
          metadataOverrides: { registration_endpoint: 'https://rs.d.example/register' },
          acceptIssuerMismatch: true,
        },
      }),
      'd.json',
    );
    if (!ok.ok) throw new Error(ok.problems.join('\n'));
    expect(ok.definition.discovery.metadataOverrides).toEqual({
      registration_endpoint: 'https://rs.d.example/register',
    });
    const bad = validateProfileDocument(
      profileDocument('d', { discovery: { metadataOverrides: { 'Not-A-Member': 'x' } } }),
      'd.json',
    );
    expect(bad.ok).toBe(false);
  });

  it('validates the ID-token issuer: a URL, or the request-object audience only when one is set', () => {
    const valid = (quirks: object) =>
      validateProfileDocument(profileDocument('i', { quirks }), 'i.json');
    const ok = valid({
      authorisation: { requestObjectAudience: 'https://secure1.i.example' },
      idToken: { issuer: 'request-object-audience', intentIdClaimOptional: true },
    });
    if (!ok.ok) throw new Error(ok.problems.join('\n'));
    expect(ok.definition.quirks.idToken).toMatchObject({
      issuer: 'request-object-audience',
      intentIdClaimOptional: true,
    });
    expect(valid({ idToken: { issuer: 'https://id.i.example' } }).ok).toBe(true);
    const noAudience = valid({ idToken: { issuer: 'request-object-audience' } });
    expect(noAudience.ok).toBe(false);
    if (!noAudience.ok)
      expect(noAudience.problems).toEqual([
        expect.stringMatching(
          /^i\.json: \/quirks\/authorisation is required \(quirks\.idToken\.issuer 'request-object-audience' takes its value from quirks\.authorisation\.requestObjectAudience/,
        ),
      ]);
    const withoutAudience = valid({
      authorisation: { pkce: false },
      idToken: { issuer: 'request-object-audience' },
    });
    if (!withoutAudience.ok)
      expect(withoutAudience.problems).toEqual([
        expect.stringContaining('/quirks/authorisation/requestObjectAudience is required ('),
      ]);
    expect(withoutAudience.ok).toBe(false);
    expect(valid({ idToken: { issuer: 'not a url' } }).ok).toBe(false);
    expect(valid({ idToken: { issuer: 'http://plain.i.example' } }).ok).toBe(false);
  });

  it('validates the intent-id prefix and the per-consent-type authorisation endpoints', () => {
    const valid = (authorisation: object) =>
      validateProfileDocument(profileDocument('a', { quirks: { authorisation } }), 'a.json');
    const ok = valid({
      intentIdPrefix: 'pfx:',
      authorisationEndpointByConsentType: {
        'domestic-payment': 'zopa://open-banking/pis-single-payment-consent',
      },
    });
    if (!ok.ok) throw new Error(ok.problems.join('\n'));
    expect(ok.definition.quirks.authorisation.authorisationEndpointByConsentType).toEqual({
      'domestic-payment': 'zopa://open-banking/pis-single-payment-consent',
    });
    expect(valid({ intentIdPrefix: '' }).ok).toBe(false);
    expect(valid({ intentIdPrefix: 'has space' }).ok).toBe(false);
    expect(valid({ authorisationEndpointByConsentType: { 'bulk-payment': 'app://x' } }).ok).toBe(
      false,
    );
    expect(
      valid({ authorisationEndpointByConsentType: { 'domestic-payment': 'no scheme' } }).ok,
    ).toBe(false);
  });

  it('validates the response repair and client-per-API options', () => {
    const result = validateProfileDocument(
      profileDocument('r', {
        registration: { separateClientsPerApi: true },
        quirks: { responses: { repairDateTimes: true } },
      }),
      'r.json',
    );
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.definition.registration.separateClientsPerApi).toBe(true);
    expect(result.definition.quirks.responses.repairDateTimes).toBe(true);
    const bad = validateProfileDocument(
      profileDocument('r', { quirks: { responses: { repairDates: true } } }),
      'r.json',
    );
    expect(bad.ok).toBe(false);
  });

  it('accepts an optional callPolicy and adds no defaults to it (they come from the settings)', () => {
    const none = validateProfileDocument(profileDocument(), 'x.json');
    if (!none.ok) throw new Error(none.problems.join('\n'));
    expect(none.definition.callPolicy).toBeUndefined();

    const callPolicy = {
      timeouts: { paymentMs: 45000 },
      retry: { maxAttempts: 1 },
      circuitBreaker: { failureThreshold: 3, openMs: 60000 },
      concurrency: { maxConcurrent: 4 },
    };
    const given = validateProfileDocument(profileDocument('c', { callPolicy }), 'c.json');
    if (!given.ok) throw new Error(given.problems.join('\n'));
    expect(given.definition.callPolicy).toEqual(callPolicy);
  });

  it('rejects a callPolicy value out of range or unknown, naming it', () => {
    const result = validateProfileDocument(
      profileDocument('d', {
        callPolicy: { retry: { maxAttempts: 0 }, timeouts: { tokenMs: 'soon', fooMs: 1 } },
      }),
      'd.json',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.join('\n')).toMatch(/\/callPolicy\/retry\/maxAttempts/);
    expect(result.problems.join('\n')).toMatch(/\/callPolicy\/timeouts\/tokenMs/);
    expect(result.problems.join('\n')).toMatch(
      /\/callPolicy\/timeouts\/fooMs is not a known property/,
    );
  });
});
