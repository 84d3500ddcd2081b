import { applyOverrides } from './bank-profile-overrides';
import { validateProfileDocument } from './bank-profile.schema';
import { consentScope, type BankProfileDefinition } from './bank-profile.types';
import { profileDocument } from './testing/bank-profile.builder';

const METADATA = {
  issuer: 'https://as.bank.example',
  authorization_endpoint: 'https://bank.example/oauthRedirect',
  token_endpoint: 'https://as.bank.example/token',
};

const PLAIN_OAUTH2 = {
  protocol: 'oauth2',
  responseType: 'code',
  responseMode: 'query',
  pkce: true,
  consentIdParameter: 'display',
};

function problemsOf(patch: Record<string, unknown>): string {
  const result = validateProfileDocument(profileDocument('p', patch), 'p.json');
  if (result.ok) throw new Error('expected the document to be refused');
  return result.problems.join('\n');
}

function definitionOf(patch: Record<string, unknown>): BankProfileDefinition {
  const result = validateProfileDocument(profileDocument('p', patch), 'p.json');
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.definition;
}

describe("discovery.mode 'none' and quirks.authorisation.protocol 'oauth2'", () => {
  it('defaults to a fetched discovery document and OpenID Connect, with nothing added', () => {
    const d = definitionOf({});
    expect(d.discovery.mode).toBe('fetch');
    expect(d.quirks.authorisation.protocol).toBe('oidc');
    expect(d.quirks.authorisation.additionalScopes).toEqual([]);
    expect(d.quirks.authorisation.extraParameters).toBeUndefined();
    expect(d.quirks.authorisation.base64QueryParameter).toBeUndefined();
  });

  it('takes a plain OAuth 2 bank without discovery (the Co-operative Bank shape)', () => {
    const d = definitionOf({
      discovery: { mode: 'none', metadataOverrides: METADATA },
      quirks: {
        authorisation: {
          ...PLAIN_OAUTH2,
          extraParameters: { login_hint: 'coop' },
          additionalScopes: ['offline'],
          base64QueryParameter: 'data',
        },
      },
    });
    expect(d.discovery).toEqual({
      mode: 'none',
      metadataOverrides: METADATA,
      acceptIssuerMismatch: false,
    });
    expect(d.quirks.authorisation).toMatchObject({
      protocol: 'oauth2',
      consentIdParameter: 'display',
      extraParameters: { login_hint: 'coop' },
      additionalScopes: ['offline'],
      base64QueryParameter: 'data',
    });
  });

  it("refuses mode 'none' without the members it cannot do without, saying why", () => {
    const problems = problemsOf({
      discovery: { mode: 'none', metadataOverrides: { issuer: METADATA.issuer } },
      quirks: { authorisation: PLAIN_OAUTH2 },
    });
    expect(problems).toContain(
      "/discovery/metadataOverrides/authorization_endpoint is required (discovery.mode 'none' takes the whole metadata from discovery.metadataOverrides, which must then name issuer, authorization_endpoint and token_endpoint)",
    );
    expect(problems).toContain('/discovery/metadataOverrides/token_endpoint is required');
    expect(problemsOf({ discovery: { mode: 'none' } })).toContain(
      "/discovery/metadataOverrides is required (discovery.mode 'none' takes the whole metadata",
    );
  });

  it("asks for jwks_uri when a bank without discovery still sends ID tokens (protocol 'oidc')", () => {
    expect(problemsOf({ discovery: { mode: 'none', metadataOverrides: METADATA } })).toContain(
      "/discovery/metadataOverrides/jwks_uri is required (discovery.mode 'none' with the OpenID Connect protocol",
    );
    const d = definitionOf({
      discovery: {
        mode: 'none',
        metadataOverrides: { ...METADATA, jwks_uri: 'https://as.bank.example/jwks' },
      },
    });
    expect(d.discovery.mode).toBe('none');
  });

  it("refuses protocol 'oauth2' without a consent parameter, or with the hybrid flow", () => {
    const problems = problemsOf({ quirks: { authorisation: { protocol: 'oauth2' } } });
    expect(problems).toContain('/quirks/authorisation/consentIdParameter is required');
    // Stated, not defaulted: the defaults are the hybrid flow's.
    expect(problems).toContain('/quirks/authorisation/responseType is required');
    expect(problems).toContain('/quirks/authorisation/responseMode is required');
    const hybrid = problemsOf({
      quirks: { authorisation: { ...PLAIN_OAUTH2, responseType: 'code id_token' } },
    });
    expect(hybrid).toMatch(/\/quirks\/authorisation\/responseType must be equal to constant/);
  });

  it("refuses protocol 'oauth2' without PKCE: with no ID token, PKCE binds the code to the request", () => {
    const { pkce: _on, ...withoutPkce } = PLAIN_OAUTH2;
    expect(problemsOf({ quirks: { authorisation: withoutPkce } })).toContain(
      '/quirks/authorisation/pkce is required',
    );
    expect(problemsOf({ quirks: { authorisation: { ...PLAIN_OAUTH2, pkce: false } } })).toMatch(
      /\/quirks\/authorisation\/pkce must be equal to constant/,
    );
  });

  it('refuses extra parameters that would replace what the connector writes', () => {
    expect(problemsOf({ quirks: { authorisation: { extraParameters: { state: 'x' } } } })).toMatch(
      /\/quirks\/authorisation\/extraParameters/,
    );
    expect(problemsOf({ quirks: { authorisation: { additionalScopes: ['two words'] } } })).toMatch(
      /\/quirks\/authorisation\/additionalScopes\/0/,
    );
  });

  it('lets the operator supply the metadata member by member (BANK_PROFILE_OVERRIDES)', () => {
    const definition = definitionOf({
      discovery: { mode: 'none', metadataOverrides: METADATA },
      quirks: { authorisation: PLAIN_OAUTH2 },
    });
    const { definitions, problems } = applyOverrides(new Map([['p', definition]]), {
      p: { discovery: { metadataOverrides: { token_endpoint: 'https://mtls.bank.example/t' } } },
    });
    expect(problems).toEqual([]);
    expect(definitions.get('p')?.discovery.metadataOverrides).toEqual({
      ...METADATA,
      token_endpoint: 'https://mtls.bank.example/t',
    });
    expect(
      applyOverrides(new Map([['p', definition]]), {
        p: { discovery: { mode: 'fetch' } as never },
      }).problems,
    ).toEqual(["BANK_PROFILE_OVERRIDES['p']: /discovery may only hold { metadataOverrides }"]);
  });

  it('scopeInConsentGrants: the grants name the scope the authorisation asked for', () => {
    const coop = definitionOf({
      discovery: { mode: 'none', metadataOverrides: METADATA },
      quirks: {
        authorisation: { ...PLAIN_OAUTH2, additionalScopes: ['offline'] },
        tokenEndpoint: { scopeInConsentGrants: true },
      },
    });
    expect(coop.quirks.tokenEndpoint.scopeInConsentGrants).toBe(true);
    expect(consentScope(coop.quirks, 'account-access')).toBe('accounts offline');
    const standard = definitionOf({});
    expect(standard.quirks.tokenEndpoint.scopeInConsentGrants).toBe(false);
    expect(consentScope(standard.quirks, 'domestic-vrp')).toBe('openid payments');
  });
});
