import { registrationScopes } from './registration-scopes';

const DEFAULTS = ['openid', 'accounts', 'payments', 'fundsconfirmations'];

describe('registrationScopes (registration.separateClientsPerApi)', () => {
  it('one client for every API by default: the caller’s scopes or all default scopes', () => {
    const shared = { defaultScopes: DEFAULTS, separateClientsPerApi: false };
    expect(registrationScopes(undefined, shared, 'bank')).toEqual(DEFAULTS);
    expect(registrationScopes(['openid', 'accounts', 'payments'], shared, 'bank')).toEqual([
      'openid',
      'accounts',
      'payments',
    ]);
  });

  it('one client per API: the default keeps the first API scope only', () => {
    const separate = { defaultScopes: DEFAULTS, separateClientsPerApi: true };
    expect(registrationScopes(undefined, separate, 'bank')).toEqual(['openid', 'accounts']);
    expect(registrationScopes(['openid', 'payments'], separate, 'bank')).toEqual([
      'openid',
      'payments',
    ]);
  });

  it('one client per API: scopes that mix APIs are refused with a clear problem', () => {
    const separate = { defaultScopes: DEFAULTS, separateClientsPerApi: true };
    let caught: unknown;
    try {
      registrationScopes(['openid', 'accounts', 'payments'], separate, 'split-bank');
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({
      code: 'bank-registration/scopes-span-apis',
      kind: 'validation',
    });
    expect((caught as { detail: string }).detail).toContain("scopes ['openid', 'accounts']");
  });
});
