import { SignJWT, decodeJwt, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import type { MockBankQuirks } from './mock-bank-quirks';

type Claims = Record<string, unknown>;

/**
 * Applies the ID-token and token-endpoint quirks to what oidc-provider issued: claims changed
 * and the token re-signed with the bank's key (PS256), so the result is a validly signed token
 * that merely deviates the way the configured bank does.
 */
export class QuirkRewriter {
  constructor(
    private readonly quirks: MockBankQuirks,
    private readonly signingJwk: JWK,
    /** The PSU who authorised a consent (for `sub` = user id). */
    private readonly psuIdOf: (consentId: string) => string | undefined,
  ) {}

  /** Whether any ID-token or token quirk is on (the provider middleware is skipped otherwise). */
  /** The discovery document as oidc-provider wrote it, before omissions (admin route). */
  fullDiscovery: Claims | undefined;

  /** Whether discovery members are left out. */
  get omitsDiscoveryMembers(): boolean {
    return this.quirks.discovery.omitMembers.length > 0;
  }

  /** The discovery document without the members this bank does not publish. */
  discoveryDocument(body: Claims): Claims {
    this.fullDiscovery = structuredClone(body);
    const out = { ...body };
    for (const member of this.quirks.discovery.omitMembers) delete out[member];
    return out;
  }

  get active(): boolean {
    const { idToken, tokenEndpoint } = this.quirks;
    return (
      idToken.subject !== 'consent-id' ||
      idToken.omitAcr ||
      idToken.omitAuthTime ||
      idToken.omitNonceAtTokenEndpoint ||
      idToken.expInMilliseconds ||
      idToken.issuer !== 'issuer' ||
      idToken.omitIntentId ||
      tokenEndpoint.tokenType !== 'Bearer' ||
      tokenEndpoint.noRefreshTokenForPayments
    );
  }

  /** Rewrites the id_token of an authorisation redirect (fragment or query). */
  async authorisationRedirect(location: string): Promise<string> {
    const url = new URL(location);
    const inFragment = url.hash.length > 1;
    const params = new URLSearchParams(inFragment ? url.hash.slice(1) : url.search);
    const idToken = params.get('id_token');
    if (!idToken) return location;
    params.set('id_token', await this.idToken(idToken, 'authorisation'));
    if (inFragment) url.hash = params.toString();
    else url.search = params.toString();
    return url.toString();
  }

  /** Rewrites a successful token endpoint response. */
  async tokenResponse(body: Claims): Promise<Claims> {
    const out = { ...body };
    const { tokenEndpoint } = this.quirks;
    if (typeof out.token_type === 'string') out.token_type = tokenEndpoint.tokenType;
    const scopes = typeof out.scope === 'string' ? out.scope.split(' ') : [];
    if (tokenEndpoint.noRefreshTokenForPayments && scopes.includes('payments'))
      delete out.refresh_token;
    if (typeof out.id_token === 'string') out.id_token = await this.idToken(out.id_token, 'token');
    return out;
  }

  private async idToken(token: string, source: 'authorisation' | 'token'): Promise<string> {
    const q = this.quirks.idToken;
    const claims: Claims = { ...decodeJwt(token) };
    if (q.subject === 'client-id') {
      claims.sub = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
    } else if (q.subject === 'user-id') {
      const intentId = String(claims.openbanking_intent_id ?? claims.sub);
      claims.sub = this.psuIdOf(intentId) ?? `psu-of-${intentId}`;
    }
    if (q.issuer !== 'issuer') claims.iss = q.issuer;
    if (q.omitIntentId) delete claims.openbanking_intent_id;
    if (q.omitAcr) delete claims.acr;
    if (q.omitAuthTime) delete claims.auth_time;
    if (q.omitNonceAtTokenEndpoint && source === 'token') delete claims.nonce;
    if (q.expInMilliseconds) {
      if (typeof claims.exp === 'number') claims.exp *= 1000;
      if (typeof claims.iat === 'number') claims.iat *= 1000;
    }
    const header = decodeProtectedHeader(token);
    const key = await importJWK(this.signingJwk, 'PS256');
    return new SignJWT(claims).setProtectedHeader({ ...header, alg: 'PS256' }).sign(key);
  }
}

const DATE_TIME_WITH_ZONE =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The response-body quirks of AIS, PIS and VRP resources: Links moved to another host or to
 * http, or with a trailing slash added to the path; *DateTime members written without an offset
 * and with milliseconds (as UTC); direct debits' PreviousPaymentDateTime no date at all; a
 * domestic VRP's refund account nested under Account.
 */
export function quirkyResponseBody(
  body: unknown,
  quirks: MockBankQuirks['responses'],
  baseUrl: string,
): unknown {
  if (!hasResponseQuirks(quirks)) return body;
  const origin = new URL(baseUrl);
  const linkOrigin =
    quirks.links === 'http'
      ? `http://${origin.host}`
      : quirks.links === 'other-host'
        ? 'https://api-gateway.bank.example'
        : origin.origin;
  const walk = (node: unknown, inLinks: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, inLinks));
    if (node === null || typeof node !== 'object') return node;
    const out: Claims = {};
    for (const [key, value] of Object.entries(node as Claims)) {
      if (inLinks && typeof value === 'string' && value.startsWith(origin.origin)) {
        const link = `${linkOrigin}${value.slice(origin.origin.length)}`;
        out[key] = quirks.linksAddSlash ? withTrailingSlash(link) : link;
      } else if (
        quirks.invalidDateTimes &&
        key === 'PreviousPaymentDateTime' &&
        typeof value === 'string'
      ) {
        out[key] = INVALID_DATE_TIME;
      } else if (quirks.brokenDateTimes && key.endsWith('DateTime') && typeof value === 'string') {
        out[key] = brokenDateTime(value);
      } else {
        out[key] = walk(value, key === 'Links');
      }
    }
    return out;
  };
  const out = walk(body, false);
  return quirks.nestVrpRefundAccount ? nestedRefund(out) : out;
}

/** Whether any response-body quirk is on (the response middleware is skipped otherwise). */
export function hasResponseQuirks(quirks: MockBankQuirks['responses']): boolean {
  return (
    quirks.links !== 'standard' ||
    quirks.brokenDateTimes ||
    quirks.invalidDateTimes ||
    quirks.nestVrpRefundAccount ||
    quirks.linksAddSlash
  );
}

/** What Lloyds Banking Group may write for a direct debit's PreviousPaymentDateTime. */
export const INVALID_DATE_TIME = '0000-00-00T00:00:00+00:00';

/** https://h/a/b?x=1 → https://h/a/b/?x=1 (a path already ending in '/' is kept). */
function withTrailingSlash(link: string): string {
  const url = new URL(link);
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url.toString();
}

/** A domestic VRP's Data.Refund as { Account: <the refund account> }. */
function nestedRefund(body: unknown): unknown {
  const data = (body as { Data?: Claims } | null)?.Data;
  if (!data || typeof data !== 'object' || typeof data.DomesticVRPId !== 'string') return body;
  const refund = data.Refund;
  if (refund === null || typeof refund !== 'object') return body;
  return { ...(body as Claims), Data: { ...data, Refund: { Account: refund } } };
}

/** 2026-12-06T10:15:30+01:00 → 2026-12-06T09:15:30.000 (UTC, no offset, milliseconds). */
function brokenDateTime(value: string): string {
  if (!DATE_TIME_WITH_ZONE.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString().replace(/Z$/, '');
}
