import { toConsentStatusCode } from './consent-status';

describe('toConsentStatusCode', () => {
  it.each([
    ['AwaitingAuthorisation', 'AWAU'],
    ['Authorised', 'AUTH'],
    ['Revoked', 'CANC'],
    ['AUTH', 'AUTH'],
    ['AWAU', 'AWAU'],
    ['Something', 'Something'],
  ])('%s → %s', (bank, code) => expect(toConsentStatusCode(bank)).toBe(code));
});
