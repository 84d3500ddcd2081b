import { join } from 'node:path';
import { loadBankProfiles } from './bank-profile-loader';
import type { BankProfile } from './bank-profile.types';

/** House rules for the profiles shipped in bank-profiles/ (bank-profiles/README.md). */
describe('shipped bank profiles', () => {
  const quiet = { log: (): void => undefined, warn: (): void => undefined };
  const profiles: BankProfile[] = loadBankProfiles(
    { builtinDir: join(__dirname, '../../../bank-profiles'), overrides: {} },
    quiet,
  );
  const banks = profiles.filter((p) => p.environment !== 'mock');

  it.each(banks.map((p) => [p.id, p] as const))('%s says where its values come from', (_, p) => {
    expect(p.documentation?.url).toMatch(/^https:\/\//);
    expect(p.documentation?.notes?.length ?? 0).toBeGreaterThan(40);
  });

  it.each(banks.map((p) => [p.id, p] as const))(
    '%s lists in requiredConfiguration only values it leaves out',
    (_, p) => {
      expect(p.missingConfiguration).toEqual(p.requiredConfiguration);
    },
  );

  it('writes deviations the schema cannot express as sentences starting with UNMODELLED:', () => {
    for (const p of banks) {
      const notes = p.documentation?.notes ?? '';
      for (const match of notes.matchAll(/UNMODELLED/g)) {
        const at = match.index;
        expect({ id: p.id, marker: notes.slice(at, at + 11) }).toEqual({
          id: p.id,
          marker: 'UNMODELLED:',
        });
        expect({ id: p.id, before: at === 0 ? '. ' : notes.slice(at - 2, at) }).toEqual({
          id: p.id,
          before: '. ',
        });
      }
    }
  });
});
