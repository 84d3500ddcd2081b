import { buildBankProfile, STANDARD_QUIRKS } from '@obc/bank-profiles';
import { DomainError } from '@obc/common';
import {
  assertExactlyOneOf,
  bankConsentRequest,
  CreateAccountAccessConsent,
  maximumPermissionsRequest,
  requestHash,
} from './consent-request';
import { OB_ACCOUNT_PERMISSIONS } from './ob-permissions';

function request(patch: Partial<CreateAccountAccessConsent> = {}): CreateAccountAccessConsent {
  return {
    bankRegistrationId: '7b0c2c43-5d0a-4bb2-9d7f-9b6c7a7f3a11',
    templateRequest: { type: 'MaximumPermissions' },
    externalApiRequest: null,
    externalApiUserId: null,
    reference: null,
    createdBy: 'key-1',
    ...patch,
  };
}

function profileWithout(unsupported: string[]) {
  return buildBankProfile({
    quirks: {
      ...structuredClone(STANDARD_QUIRKS),
      accountAccess: { unsupportedPermissions: unsupported },
    },
  });
}

describe('maximumPermissionsRequest', () => {
  it('asks for every v4.0 permission from a bank that supports them all, with no expiry', () => {
    const body = maximumPermissionsRequest(profileWithout([]));
    expect(body.Data.Permissions).toEqual([...OB_ACCOUNT_PERMISSIONS]);
    expect(body.Data.ExpirationDateTime).toBeUndefined();
    expect(body.Risk).toEqual({});
  });

  it.each([[['ReadOffers']], [['ReadPAN', 'ReadPartyPSU', 'ReadStatementsDetail']]])(
    'leaves out what the profile says the bank does not support (%j)',
    (unsupported) => {
      const permissions = maximumPermissionsRequest(profileWithout(unsupported)).Data.Permissions;
      expect(permissions).toHaveLength(OB_ACCOUNT_PERMISSIONS.length - unsupported.length);
      for (const p of unsupported) expect(permissions).not.toContain(p);
      expect(permissions).toContain('ReadAccountsDetail');
    },
  );

  it('sends an explicit request as given (only the template is pruned)', () => {
    const explicit = { Data: { Permissions: ['ReadOffers'] }, Risk: {} };
    const body = bankConsentRequest(
      request({ templateRequest: null, externalApiRequest: explicit }),
      profileWithout(['ReadOffers']),
    );
    expect(body).toBe(explicit);
  });
});

describe('assertExactlyOneOf', () => {
  const explicit = { Data: { Permissions: ['ReadAccountsBasic'] }, Risk: {} };

  it.each([
    ['neither', request({ templateRequest: null })],
    ['both', request({ externalApiRequest: explicit })],
  ])('refuses %s with account-access-consent/request-ambiguous (400)', (_, r) => {
    let thrown: unknown;
    try {
      assertExactlyOneOf(r);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).code).toBe('account-access-consent/request-ambiguous');
    expect((thrown as DomainError).kind).toBe('validation');
  });

  it('accepts exactly one', () => {
    expect(() => assertExactlyOneOf(request())).not.toThrow();
    expect(() =>
      assertExactlyOneOf(request({ templateRequest: null, externalApiRequest: explicit })),
    ).not.toThrow();
  });
});

describe('requestHash', () => {
  it('is the same whatever the key order, and differs with the body', () => {
    const a = request({ reference: 'x' });
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as CreateAccountAccessConsent;
    expect(requestHash(reordered)).toBe(requestHash(a));
    expect(requestHash(request({ reference: 'y' }))).not.toBe(requestHash(a));
  });
});
