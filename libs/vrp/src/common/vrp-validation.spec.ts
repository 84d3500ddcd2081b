import { DomainError } from '@obc/common';
import { consentRequest, vrpRequest } from '../testing/fixtures';
import { assertVrpConsentRequest, assertVrpRequest, withConsentId } from './vrp-validation';

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).kind).toBe('validation');
    return (e as DomainError).code;
  }
  return undefined;
}

const cp = (patch: Record<string, unknown>) => ({
  VRPType: ['UK.OBIE.VRPType.Sweeping'],
  MaximumIndividualAmount: { Amount: '100.00', Currency: 'GBP' },
  PeriodicLimits: [
    { PeriodType: 'Day', PeriodAlignment: 'Consent', Amount: '200', Currency: 'GBP' },
  ],
  ...patch,
});

describe('assertVrpConsentRequest', () => {
  it('accepts a request with valid control parameters', () => {
    expect(codeOf(() => assertVrpConsentRequest(consentRequest()))).toBeUndefined();
  });

  it('refuses a request without control parameters', () => {
    expect(codeOf(() => assertVrpConsentRequest(consentRequest(null)))).toBe(
      'vrp/control-parameters-missing',
    );
    expect(codeOf(() => assertVrpConsentRequest({}))).toBe('vrp/control-parameters-missing');
  });

  it.each(['0', '0.00', '-1', '1e3', '10.123456', 'abc', '', '12345678901234'])(
    'refuses MaximumIndividualAmount %j',
    (amount) => {
      const req = consentRequest(
        cp({ MaximumIndividualAmount: { Amount: amount, Currency: 'GBP' } }),
      );
      expect(codeOf(() => assertVrpConsentRequest(req))).toBe('payment/invalid-amount');
    },
  );

  it('refuses a non-positive periodic limit amount', () => {
    const req = consentRequest(
      cp({
        PeriodicLimits: [
          { PeriodType: 'Day', PeriodAlignment: 'Consent', Amount: '0', Currency: 'GBP' },
        ],
      }),
    );
    expect(codeOf(() => assertVrpConsentRequest(req))).toBe('payment/invalid-amount');
  });

  it.each(['GPB', 'gbp', 'XXX1', ''])('refuses currency %j', (currency) => {
    const req = consentRequest(
      cp({ MaximumIndividualAmount: { Amount: '1', Currency: currency } }),
    );
    expect(codeOf(() => assertVrpConsentRequest(req))).toBe('payment/unknown-currency');
    const limitReq = consentRequest(
      cp({
        PeriodicLimits: [
          { PeriodType: 'Day', PeriodAlignment: 'Consent', Amount: '1', Currency: currency },
        ],
      }),
    );
    expect(codeOf(() => assertVrpConsentRequest(limitReq))).toBe('payment/unknown-currency');
  });

  it.each([[[]], [['Sweeping']], [['UK.OBIE.VRPType.Commercial']], ['UK.OBIE.VRPType.Sweeping']])(
    'refuses VRPType %j',
    (types) => {
      expect(codeOf(() => assertVrpConsentRequest(consentRequest(cp({ VRPType: types }))))).toBe(
        'vrp/invalid-vrp-type',
      );
    },
  );

  it('accepts both v4.0 VRP types', () => {
    const req = consentRequest(
      cp({ VRPType: ['UK.OBIE.VRPType.Sweeping', 'UK.OBIE.VRPType.Other'] }),
    );
    expect(codeOf(() => assertVrpConsentRequest(req))).toBeUndefined();
  });
});

describe('assertVrpRequest', () => {
  it('accepts a positive amount in a known currency', () => {
    expect(codeOf(() => assertVrpRequest(vrpRequest('0.01', 'EUR')))).toBeUndefined();
  });

  it('refuses a zero amount and an unknown currency', () => {
    expect(codeOf(() => assertVrpRequest(vrpRequest('0.00')))).toBe('payment/invalid-amount');
    expect(codeOf(() => assertVrpRequest(vrpRequest('5', 'ABC')))).toBe('payment/unknown-currency');
  });
});

describe('withConsentId', () => {
  it("sets Data.ConsentId to the bank's id and keeps the rest", () => {
    const original = vrpRequest();
    const filled = withConsentId(original, 'bank-1') as { Data: Record<string, unknown> };
    expect(filled.Data.ConsentId).toBe('bank-1');
    expect(filled.Data.VRPType).toBe('UK.OBIE.VRPType.Sweeping');
    expect((original.Data as Record<string, unknown>).ConsentId).toBe('whatever-the-caller-sent');
  });
});
