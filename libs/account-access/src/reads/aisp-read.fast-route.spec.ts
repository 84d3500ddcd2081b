import { AISP_READ_ENDPOINTS, AispReadEndpoint } from './aisp-endpoints';
import { AispReadFastRoute, matchAispRead } from './aisp-read.fast-route';
import type { AispReadRequest, AispReadService } from './aisp-read.service';

describe('matchAispRead', () => {
  it.each(Object.entries(AISP_READ_ENDPOINTS))(
    'matches %s at /v1/aisp%s with the template Express writes',
    (endpoint, bankPath) => {
      const path = `/v1/aisp${bankPath.replace('{accountId}', 'acc-1').replace('{statementId}', 'st-2')}`;
      const match = matchAispRead(path);
      expect(match?.endpoint).toBe(endpoint as AispReadEndpoint);
      expect(match?.template).toBe(
        `/v1/aisp${bankPath.replace('{accountId}', ':accountId').replace('{statementId}', ':statementId')}`,
      );
      expect(match?.params).toEqual({
        ...(bankPath.includes('{accountId}') ? { accountId: 'acc-1' } : {}),
        ...(bankPath.includes('{statementId}') ? { statementId: 'st-2' } : {}),
      });
    },
  );

  it('decodes parameters as Express does', () => {
    expect(matchAispRead('/v1/aisp/accounts/a%2Fb%20c/balances')?.params).toEqual({
      accountId: 'a/b c',
    });
  });

  it.each([
    '/v1/aisp/accounts/', // a trailing slash: Express's non-strict routing decides
    '/v1/AISP/accounts', // another case: likewise
    '/v1/aisp/account-access-consents',
    '/v1/aisp/accounts//balances',
    '/v1/aisp/accounts/%E0%A4%A/balances', // not percent-encoding: Express's 400
    '/v1/aisp',
    '/v2/aisp/accounts',
    '/v1/aisp/accounts/a/b/c/d/e',
  ])('leaves %s to Express', (path) => {
    expect(matchAispRead(path)).toBeUndefined();
  });
});

describe('AispReadFastRoute', () => {
  it('calls the read service as the controller does and returns the interaction id header', async () => {
    const calls: AispReadRequest[] = [];
    const reads = {
      read: (r: AispReadRequest) => {
        calls.push(r);
        return Promise.resolve({ body: { Data: {} }, interactionId: 'i-1' });
      },
    } as unknown as AispReadService;
    const match = new AispReadFastRoute(reads).match({
      method: 'GET',
      path: '/v1/aisp/accounts/acc-1/transactions',
      query: { fromBookingDateTime: '2020-01-01T00:00:00Z' },
      headers: { 'x-account-access-consent-id': 'c-1' },
    });
    expect(match?.template).toBe('/v1/aisp/accounts/:accountId/transactions');
    await expect(match!.serve()).resolves.toEqual({
      body: { Data: {} },
      headers: { 'x-fapi-interaction-id': 'i-1' },
    });
    expect(calls).toEqual([
      {
        endpoint: 'accountTransactions',
        params: { accountId: 'acc-1' },
        query: { fromBookingDateTime: '2020-01-01T00:00:00Z' },
        consentId: 'c-1',
      },
    ]);
  });
});
