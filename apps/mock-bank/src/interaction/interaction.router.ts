import express, { Router, type Request, type Response } from 'express';
import type { InteractionDetails, Provider } from 'oidc-provider';
import { CONSENT_STATUS, type ConsentStore, type StoredConsent } from '../consents/consent-store';
import { sampleAccounts, samplePsu } from '../data/sample-data';
import { SCA_ACR } from '../oidc/create-provider';
import { intentIdFromClaims } from '../oidc/intent-claims';
import { FRONT_CONSENT_PARAM } from './authorisation-front';
import type { MockBankQuirks } from '../quirks/mock-bank-quirks';
import { renderConsentPage, renderMessagePage, type ConsentPageAccount } from './consent-page';

export interface InteractionDeps {
  provider: Provider;
  consents: ConsentStore;
  /** Quirk authorisation.intentIdPrefix, stripped from the requested intent id. */
  quirks?: MockBankQuirks;
}

class InteractionProblem extends Error {}

/** The sample accounts as the consent page lists them. */
function pageAccounts(): ConsentPageAccount[] {
  return sampleAccounts().map((a) => ({
    AccountId: a.accountId,
    Nickname: String(a.account.Nickname ?? a.accountId),
    Currency: String(a.account.Currency ?? ''),
  }));
}

/** The accounts the PSU ticked; none (e.g. a headless approve) means all of them. */
function selectedAccounts(body: unknown): string[] {
  const form = (body ?? {}) as Record<string, unknown>;
  const raw = form['accountIds[]'] ?? form.accountIds;
  const given = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
  const known = sampleAccounts().map((a) => a.accountId);
  const chosen = given.filter((id) => known.includes(id));
  return chosen.length > 0 ? chosen : known;
}

function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Names of every claim the request asked for, so the grant covers them all. */
function requestedClaims(claims: unknown): string[] {
  let parsed: unknown = claims;
  if (typeof claims === 'string') {
    try {
      parsed = JSON.parse(claims);
    } catch {
      return [];
    }
  }
  const p = (parsed ?? {}) as Record<string, Record<string, unknown> | undefined>;
  return [...new Set([...Object.keys(p.id_token ?? {}), ...Object.keys(p.userinfo ?? {})])];
}

/**
 * oidc-provider's interaction routes: the consent page at GET /interaction/:uid and its two
 * buttons. The PSU "logs in" as the consent (sub = intent id), so the ID token and every token
 * of the grant carry the consent id.
 */
export function interactionRouter({ provider, consents, quirks }: InteractionDeps): Router {
  const intentIdPrefix = quirks?.authorisation.intentIdPrefix ?? '';
  const router = Router();
  router.use('/interaction/:uid', express.urlencoded({ extended: false }));

  async function load(req: Request, res: Response) {
    const details: InteractionDetails = await provider.interactionDetails(req, res);
    if (details.uid !== req.params.uid) throw new InteractionProblem('interaction mismatch');
    // A plain OAuth 2 request (quirk authorisation.front.plainOAuth) names its consent through
    // the front door, which checked it; every other request in its request object's claims.
    const intentId = quirks?.authorisation.front.plainOAuth
      ? stringParam(details.params[FRONT_CONSENT_PARAM])
      : intentIdFromClaims(details.params.claims, intentIdPrefix);
    const consent = intentId ? consents.get(intentId) : undefined;
    if (!consent) throw new InteractionProblem('the consent for this request no longer exists');
    return { details, consent };
  }

  const handle =
    (fn: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
      try {
        await fn(req, res);
      } catch (err) {
        const message =
          err instanceof InteractionProblem
            ? err.message
            : 'this authorisation session is unknown or has expired; start again from the provider';
        res.status(400).type('html').send(renderMessagePage('Cannot continue', message));
      }
    };

  const finishDenied = (req: Request, res: Response, description: string) =>
    provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: description,
    });

  router.get(
    '/interaction/:uid',
    handle(async (req, res) => {
      const { details, consent } = await load(req, res);
      const client = await provider.Client.find(String(details.params.client_id));
      const meta = client?.metadata() ?? { client_id: String(details.params.client_id) };
      const clientName = String(meta.client_name ?? meta.software_id ?? meta.client_id);
      res
        .type('html')
        .set('cache-control', 'no-store')
        .send(
          renderConsentPage({
            uid: details.uid,
            clientName,
            consent,
            accounts: pageAccounts(),
            psuName: samplePsu.name,
          }),
        );
    }),
  );

  router.post(
    '/interaction/:uid/approve',
    handle(async (req, res) => {
      const { details, consent } = await load(req, res);
      if (consent.status !== CONSENT_STATUS.awaitingAuthorisation) {
        await finishDenied(req, res, `the consent is ${consent.status}`);
        return;
      }
      const authorised: StoredConsent = consents.authorise(consent.consentId, {
        psuId: samplePsu.psuId,
        accountIds: selectedAccounts(req.body),
      });
      const grant = new provider.Grant({
        accountId: authorised.consentId,
        clientId: String(details.params.client_id),
      });
      grant.addOIDCScope(String(details.params.scope ?? 'openid'));
      grant.addOIDCClaims(requestedClaims(details.params.claims));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        {
          login: { accountId: authorised.consentId, acr: SCA_ACR, amr: ['pwd', 'otp'] },
          consent: { grantId },
        },
        { mergeWithLastSubmission: false },
      );
    }),
  );

  router.post(
    '/interaction/:uid/deny',
    handle(async (req, res) => {
      const { consent } = await load(req, res);
      if (consent.status === CONSENT_STATUS.awaitingAuthorisation)
        consents.reject(consent.consentId);
      await finishDenied(req, res, 'the PSU refused the consent');
    }),
  );

  return router;
}
