import { ConsentNotFoundError, ConsentStore } from './consent-store';

describe('ConsentStore', () => {
  let t = Date.parse('2025-01-01T00:00:00Z');
  const store = new ConsentStore(() => new Date(t));

  it('creates, authorises and revokes, keeping the body status in step', () => {
    const c = store.create({
      consentId: 'c1',
      kind: 'account-access',
      clientId: 'client-a',
      status: 'AWAU',
      permissions: ['ReadAccountsBasic'],
      body: { ConsentId: 'c1', Status: 'AWAU' },
    });
    expect(c.createdAt).toBe('2025-01-01T00:00:00.000Z');
    t += 1000;
    const a = store.authorise('c1', { psuId: 'psu-1', accountIds: ['acc-1'] });
    expect(a).toMatchObject({ status: 'AUTH', psuId: 'psu-1', accountIds: ['acc-1'] });
    expect(a.body).toMatchObject({
      Status: 'AUTH',
      StatusUpdateDateTime: '2025-01-01T00:00:01.000Z',
    });
    expect(store.revoke('c1').status).toBe('CANC');
    expect(store.get('c1')?.body.Status).toBe('CANC');
  });

  it('returns copies, so callers cannot change stored consents by accident', () => {
    const got = store.get('c1');
    got?.accountIds?.push('other');
    expect(store.get('c1')?.accountIds).toEqual(['acc-1']);
  });

  it('refuses unknown ids', () => {
    expect(store.get('nope')).toBeUndefined();
    expect(() => store.reject('nope')).toThrow(ConsentNotFoundError);
  });

  it('quirk postCreateConsentDelayMs: hides a consent until the delay after its creation', () => {
    let now = Date.parse('2025-01-01T00:00:00Z');
    const slow = new ConsentStore(() => new Date(now), 500);
    slow.create({
      consentId: 's1',
      kind: 'domestic-payment',
      clientId: 'c',
      status: 'AWAU',
      body: {},
    });
    expect(slow.get('s1')).toBeUndefined();
    now += 499;
    expect(slow.get('s1')).toBeUndefined();
    now += 1;
    expect(slow.get('s1')?.consentId).toBe('s1');
  });
});
