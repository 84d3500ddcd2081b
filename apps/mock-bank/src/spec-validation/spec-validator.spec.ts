import { join } from 'node:path';
import { SPECS_DIR } from '../testing/test-bank';
import { sanitiseSpec } from './sanitise-spec';
import { SpecLoadError, SpecValidator } from './spec-validator';

const AIS = join(SPECS_DIR, 'v4.0/account-info-openapi.json');
const headers = { authorization: 'Bearer x' };

describe('sanitiseSpec', () => {
  it('drops siblings of $ref and repeated enum values', () => {
    expect(
      sanitiseSpec({ a: { $ref: '#/x', description: 'd' }, b: { enum: ['A', 'B', 'A'] } }),
    ).toEqual({ a: { $ref: '#/x' }, b: { enum: ['A', 'B'] } });
  });
});

describe('SpecValidator (AIS v4.0)', () => {
  let v: SpecValidator;
  beforeAll(() => {
    v = SpecValidator.load(AIS, {
      expectedOperations: ['CreateAccountAccessConsents', 'GetAccounts'],
      bankQueryParameters: ['page'],
    });
  });

  it('fails loudly when expected operations are missing or the file is absent', () => {
    expect(() => SpecValidator.load(AIS, { expectedOperations: ['NoSuchOp'] })).toThrow(/NoSuchOp/);
    expect(() => SpecValidator.load('/nonexistent/spec.json', { expectedOperations: [] })).toThrow(
      SpecLoadError,
    );
  });

  it('accepts a valid consent request', () => {
    const check = v.validate({
      method: 'POST',
      path: '/account-access-consents',
      query: {},
      headers: { ...headers, 'content-type': 'application/json' },
      body: { Data: { Permissions: ['ReadAccountsBasic'] }, Risk: {} },
    });
    expect(check).toEqual({ ok: true, operationId: 'CreateAccountAccessConsents' });
  });

  it('names an unknown permission (U002) and a missing field (U003)', () => {
    const bad = v.validate({
      method: 'POST',
      path: '/account-access-consents',
      query: {},
      headers,
      body: { Data: { Permissions: ['ReadEverything'] } },
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ errorCode: 'U002', path: 'Data.Permissions[0]' }),
        expect.objectContaining({ errorCode: 'U003', path: 'Risk' }),
      ]),
    );
  });

  it('checks headers and query, ignoring only the bank paging parameter', () => {
    const q = (query: Record<string, string>, h: Record<string, string> = headers) =>
      v.validate({ method: 'GET', path: '/accounts/a1/transactions', query, headers: h });
    expect(q({ page: '2', fromBookingDateTime: '2025-01-01T00:00:00Z' }).ok).toBe(true);
    expect(q({ fromBookingDateTime: 'yesterday' }).ok).toBe(false);
    expect(q({ foo: 'bar' }).ok).toBe(false);
    expect(q({}, {}).ok).toBe(false);
  });
});

describe('SpecValidator on the other v4.0 documents', () => {
  it.each([
    ['payment-initiation-openapi.json', 'CreateDomesticPaymentConsents'],
    ['vrp-openapi.json', 'domesticVrpConsentsPost'],
  ])('loads %s', (file, operationId) => {
    const v = SpecValidator.load(join(SPECS_DIR, 'v4.0', file), { expectedOperations: [] });
    expect(v.operationIds).toContain(operationId);
  });
});
