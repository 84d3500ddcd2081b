import { buildBankProfile, InMemoryBankProfileRegistry } from '@obc/bank-profiles';
import { profileCallPolicies } from './app.module';

describe('profileCallPolicies', () => {
  it("gives each bank profile's callPolicy, and none for a profile without one or unknown", () => {
    const registry = new InMemoryBankProfileRegistry([
      buildBankProfile({ id: 'with-policy', callPolicy: { retry: { maxAttempts: 1 } } }),
      buildBankProfile({ id: 'without' }),
    ]);
    const source = profileCallPolicies(registry);
    expect(source.overridesFor('with-policy')).toEqual({ retry: { maxAttempts: 1 } });
    expect(source.overridesFor('without')).toBeUndefined();
    expect(source.overridesFor('nope')).toBeUndefined();
  });
});
