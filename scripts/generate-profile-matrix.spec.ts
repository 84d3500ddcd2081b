import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBankProfile } from '@obc/bank-profiles';
import { findPackageRoot } from '@obc/config';
import { loadShippedProfiles, PROFILE_MATRIX_PATH, renderProfileMatrix } from './profile-matrix';

describe('bank profiles capability matrix', () => {
  it('docs/bank-profiles-matrix.md matches the shipped profiles', () => {
    const root = findPackageRoot();
    let committed = '';
    try {
      committed = readFileSync(join(root, PROFILE_MATRIX_PATH), 'utf8');
    } catch {
      // reported below as drift
    }
    if (committed !== renderProfileMatrix(loadShippedProfiles(root))) {
      throw new Error(
        'docs/bank-profiles-matrix.md is out of date with bank-profiles/: run npm run docs:profiles (it builds, then regenerates the file) and commit the result',
      );
    }
  });

  it('lists every profile under its group with versions, registration, auth and needs', () => {
    const doc = renderProfileMatrix([
      buildBankProfile({ id: 'zeta-bank', group: 'zeta' }),
      buildBankProfile({
        id: 'alpha-live',
        group: 'alpha',
        displayName: 'Alpha | Live',
        environment: 'production',
        apis: { accountAndTransaction: { version: 'v3.1.11' } },
        registration: { ...buildBankProfile().registration, mode: 'manual' },
        tokenEndpointAuthMethod: 'private_key_jwt',
        requiredConfiguration: ['financialId', 'apis.accountAndTransaction.baseUrl'],
      }),
    ]);
    expect(doc.indexOf('### alpha')).toBeLessThan(doc.indexOf('### zeta'));
    expect(doc).toMatch(
      /\| `alpha-live` +\| Alpha \\\| Live +\| production +\| v3\.1\.11 +\| - +\| - +\| manual +\| `private_key_jwt` +\| financialId, apis\.accountAndTransaction\.baseUrl +\|/,
    );
    expect(doc).toMatch(
      /\| `zeta-bank` +\| Test Bank +\| sandbox +\| v4\.0 +\| v4\.0 +\| v4\.0 +\| DCR 3\.3 +\| `tls_client_auth` +\| - +\|/,
    );
  });

  it('names the profile whose client a brand shares in its registration cell, not in the counts', () => {
    const doc = renderProfileMatrix([
      buildBankProfile({ id: 'group-bank' }),
      buildBankProfile({
        id: 'brand-bank',
        registration: { ...buildBankProfile().registration, sharedWith: 'group-bank' },
      }),
    ]);
    expect(doc).toMatch(/\| `brand-bank` +\|.*\| DCR 3\.3; client of `group-bank` +\|/);
    expect(doc).toMatch(/\| DCR 3\.3 +\| 2 +\|/);
  });

  it('counts profiles per environment, API version, registration mode and auth method', () => {
    const doc = renderProfileMatrix([
      buildBankProfile({ id: 'a-bank' }),
      buildBankProfile({
        id: 'b-bank',
        environment: 'production',
        apis: { paymentInitiation: { version: 'v3.1.11', baseUrl: 'https://rs.b.example/pisp' } },
        registration: {
          ...buildBankProfile().registration,
          dcrVersion: '3.2',
          requestContentType: 'application/jose',
        },
        issuerUrl: undefined,
        requiredConfiguration: ['issuerUrl'],
      }),
    ]);
    expect(doc).toContain('2 profiles in 1 groups');
    expect(doc).toContain('1 usable as shipped, 1 waiting for configuration');
    expect(doc).toMatch(/\| AIS +\| 1 +\| 1 +\| 0 +\|/);
    expect(doc).toMatch(/\| PIS +\| 2 +\| 1 +\| 1 +\|/);
    expect(doc).toMatch(/\| DCR 3\.2, jose body +\| 1 +\|/);
    expect(doc).toMatch(/\| production +\| 1 +\|/);
    expect(doc).toMatch(/\| `tls_client_auth` +\| 2 +\|/);
  });
});
