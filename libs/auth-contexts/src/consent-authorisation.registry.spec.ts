import { DomainError } from '@obc/common';
import type { ConsentAuthorisationTarget } from './consent-authorisation-target';
import { ConsentAuthorisationRegistry } from './consent-authorisation.registry';

const target = (consentType: ConsentAuthorisationTarget['consentType']) => ({
  consentType,
  scope: 'accounts',
  describe: jest.fn(),
  onAuthorised: jest.fn(),
});

describe('ConsentAuthorisationRegistry', () => {
  it('serves registered targets by consent type', () => {
    const registry = new ConsentAuthorisationRegistry();
    const aisp = target('account-access');
    const pisp = target('domestic-payment');
    registry.register(aisp);
    registry.register(pisp);
    expect(registry.get('account-access')).toBe(aisp);
    expect(registry.get('domestic-payment')).toBe(pisp);
    expect(registry.has('domestic-vrp')).toBe(false);
  });

  it('an unknown type is an internal error naming the registered ones', () => {
    const registry = new ConsentAuthorisationRegistry();
    registry.register(target('account-access'));
    let error: unknown;
    try {
      registry.get('domestic-vrp');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'auth-context/unknown-consent-type', kind: 'internal' });
    expect((error as DomainError).detail).toContain('Registered: account-access');
  });

  it('refuses a second registration of one type (two modules claiming it is a wiring bug)', () => {
    const registry = new ConsentAuthorisationRegistry();
    registry.register(target('account-access'));
    expect(() => registry.register(target('account-access'))).toThrow(/registered twice/);
  });
});
