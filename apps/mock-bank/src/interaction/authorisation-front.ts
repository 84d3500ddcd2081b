import type { NextFunction, Request, Response } from 'express';
import { CONSENT_STATUS, type ConsentStore } from '../consents/consent-store';
import type { MockBankQuirks } from '../quirks/mock-bank-quirks';
import { renderMessagePage } from './consent-page';

/** oidc-provider's authorisation endpoint (its default route). */
export const AUTHORISATION_PATH = '/auth';

/**
 * The parameter through which the front door hands a plain OAuth 2 request's consent to the
 * interaction (an oidc-provider extraParam). Whatever a client sends under this name is dropped:
 * only the front door sets it, from the bank's own consent parameter.
 */
export const FRONT_CONSENT_PARAM = 'mock_bank_consent_id';

type Front = MockBankQuirks['authorisation']['front'];

/** Whether this quirk mode needs the front door at all. */
export function frontDoorActive(front: Front): boolean {
  return (
    front.plainOAuth ||
    front.base64QueryParameter !== '' ||
    front.requiredParameters.length > 0 ||
    front.requiredScopes.length > 0
  );
}

class FrontRefusal extends Error {}

/**
 * The authorisation endpoint as a bank that wants its request written its own way (quirks
 * authorisation.front): the whole query in one base64url parameter (the Co-operative Bank's
 * `data`), fixed parameters (login_hint) and scopes (offline) required, and, for plain OAuth 2,
 * the consent named in a parameter of its own (`display`), which must be a consent of that
 * client awaiting authorisation. The checked request goes on to oidc-provider as a standard
 * query. Anything else is refused with 400, as a bank shows an error page for a request it
 * cannot read (no redirect: the redirect_uri is not yet trusted).
 */
export function authorisationFront(front: Front, consents: ConsentStore) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path !== AUTHORISATION_PATH || req.method !== 'GET') return next();
    try {
      const params = frontParameters(req.originalUrl, front, consents);
      req.url = `${AUTHORISATION_PATH}?${params.toString()}`;
      // oidc-provider takes what originalUrl has before url as a mount path.
      req.originalUrl = req.url;
      next();
    } catch (error) {
      if (!(error instanceof FrontRefusal)) return next(error);
      res
        .status(400)
        .type('html')
        .set('cache-control', 'no-store')
        .send(renderMessagePage('Cannot start the authorisation', error.message));
    }
  };
}

/** The request's parameters as oidc-provider should see them, or a FrontRefusal. */
export function frontParameters(
  originalUrl: string,
  front: Front,
  consents: ConsentStore,
): URLSearchParams {
  const query = new URL(originalUrl, 'https://bank.invalid').searchParams;
  let params = query;
  if (front.base64QueryParameter !== '') {
    const wrapped = query.get(front.base64QueryParameter);
    const others = [...query.keys()].filter((k) => k !== front.base64QueryParameter);
    if (wrapped === null || others.length > 0)
      throw new FrontRefusal(
        `this bank takes the authorisation request only base64url-encoded in the one parameter '${front.base64QueryParameter}'${others.length ? ` (got ${others.join(', ')} beside it)` : ''}`,
      );
    if (!/^[A-Za-z0-9_-]+$/.test(wrapped))
      throw new FrontRefusal(`'${front.base64QueryParameter}' is not base64url`);
    params = new URLSearchParams(Buffer.from(wrapped, 'base64url').toString('utf8'));
  }
  params.delete(FRONT_CONSENT_PARAM);
  for (const required of front.requiredParameters) {
    const eq = required.indexOf('=');
    const [name, value] = [required.slice(0, eq), required.slice(eq + 1)];
    if (params.get(name) !== value)
      throw new FrontRefusal(`this bank wants ${name}=${value} in the authorisation request`);
  }
  const scopes = (params.get('scope') ?? '').split(' ').filter(Boolean);
  const missingScope = front.requiredScopes.find((s) => !scopes.includes(s));
  if (missingScope !== undefined)
    throw new FrontRefusal(
      `this bank wants the scope ${missingScope} in the authorisation request`,
    );
  if (front.plainOAuth) {
    if (params.has('request') || params.has('request_uri'))
      throw new FrontRefusal('this bank runs plain OAuth 2 and takes no request object');
    if (scopes.includes('openid'))
      throw new FrontRefusal(
        'this bank runs plain OAuth 2, without OpenID Connect: no openid scope',
      );
    const consentId = params.get(front.consentIdParameter);
    if (!consentId)
      throw new FrontRefusal(
        `the authorisation request must name the consent in '${front.consentIdParameter}'`,
      );
    const consent = consents.get(consentId);
    if (!consent || consent.clientId !== params.get('client_id'))
      throw new FrontRefusal(`${consentId} is not a consent of this client`);
    if (consent.status !== CONSENT_STATUS.awaitingAuthorisation)
      throw new FrontRefusal(
        `consent ${consentId} is ${consent.status}, not ${CONSENT_STATUS.awaitingAuthorisation}`,
      );
    params.delete(front.consentIdParameter);
    params.set(FRONT_CONSENT_PARAM, consentId);
  }
  return params;
}
