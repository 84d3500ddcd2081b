import { rewriteLink, rewriteLinks } from './links-rewriter';

const BANK = 'https://rs.bank.example/open-banking/v4.0/aisp';
const CONNECTOR = 'https://obc.example.test';

describe('rewriteLink', () => {
  it.each([
    [`${BANK}/accounts`, `${CONNECTOR}/v1/aisp/accounts`],
    [
      `${BANK}/accounts/acc-1/transactions?page=2&fromBookingDateTime=2024-01-01T00:00:00Z`,
      `${CONNECTOR}/v1/aisp/accounts/acc-1/transactions?page=2&fromBookingDateTime=2024-01-01T00:00:00Z`,
    ],
    // Another host than the API base (some banks link through a gateway).
    [
      'https://api-gw.other.example/open-banking/v4.0/aisp/transactions?page=3',
      `${CONNECTOR}/v1/aisp/transactions?page=3`,
    ],
    // Another host and another prefix, over http.
    [
      'http://10.0.0.1:8080/aisp/v4/accounts/a%2Fb/balances?pg=1',
      `${CONNECTOR}/v1/aisp/accounts/a%2Fb/balances?pg=1`,
    ],
    // Relative to the bank.
    ['/open-banking/v4.0/aisp/party', `${CONNECTOR}/v1/aisp/party`],
    // A trailing slash added to the path (Coutts, ResponseLinksMayAddSlash): kept, and the
    // connector route answers with it (the contract test follows such a link).
    [`${BANK}/accounts/?page=2`, `${CONNECTOR}/v1/aisp/accounts/?page=2`],
    [
      'https://api-gw.other.example/open-banking/v4.0/aisp/accounts/acc-1/transactions/',
      `${CONNECTOR}/v1/aisp/accounts/acc-1/transactions/`,
    ],
  ])('%s → %s', (link, expected) => {
    expect(rewriteLink(link, BANK, CONNECTOR)).toBe(expected);
  });

  it('keeps a link that names no AISP resource', () => {
    expect(rewriteLink('https://bank.example/help', BANK, CONNECTOR)).toBe(
      'https://bank.example/help',
    );
  });

  it('works with a bank API at the root of its host and a connector base with a slash', () => {
    expect(
      rewriteLink('https://b.example/accounts?page=1', 'https://b.example', `${CONNECTOR}/`),
    ).toBe(`${CONNECTOR}/v1/aisp/accounts?page=1`);
  });
});

describe('rewriteLinks', () => {
  it('rewrites Self, First, Prev, Next and Last and leaves Data and Meta alone', () => {
    const body = {
      Data: { Account: [{ AccountId: 'acc-1' }] },
      Links: {
        Self: `${BANK}/accounts?page=2`,
        First: `${BANK}/accounts?page=1`,
        Prev: `${BANK}/accounts?page=1`,
        Next: `${BANK}/accounts?page=3`,
        Last: `${BANK}/accounts?page=9`,
      },
      Meta: { TotalPages: 9 },
    };
    const out = rewriteLinks(body, BANK, CONNECTOR) as typeof body;
    expect(out.Links).toEqual({
      Self: `${CONNECTOR}/v1/aisp/accounts?page=2`,
      First: `${CONNECTOR}/v1/aisp/accounts?page=1`,
      Prev: `${CONNECTOR}/v1/aisp/accounts?page=1`,
      Next: `${CONNECTOR}/v1/aisp/accounts?page=3`,
      Last: `${CONNECTOR}/v1/aisp/accounts?page=9`,
    });
    expect(out.Data).toBe(body.Data);
    expect(out.Meta).toBe(body.Meta);
    expect(body.Links.Self).toBe(`${BANK}/accounts?page=2`);
  });

  it('passes bodies without Links through', () => {
    const body = { Data: {} };
    expect(rewriteLinks(body, BANK, CONNECTOR)).toBe(body);
    expect(rewriteLinks(null, BANK, CONNECTOR)).toBeNull();
  });
});
