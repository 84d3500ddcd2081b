import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Provider } from 'oidc-provider';
import { adminRouter } from './admin/admin.router';
import type { Ledger } from './admin/ledger';
import { directoryRouter } from './directory/directory.router';
import type { DirectorySigner, DirectoryUrls } from './directory/directory-signer';
import type { DirectoryStore } from './directory/directory-store';
import type { DirectoryTokenService } from './directory/directory-token.service';
import { registrationRouter } from './dcr/registration.router';
import type { RegistrationService } from './dcr/registration.service';
import type { ConsentStore } from './consents/consent-store';
import type { FaultInjector } from './faults/fault-injector';
import { faultsRouter } from './faults/faults.router';
import { NetworkFaults } from './faults/network-faults';
import { TokenDelay, tokenDelayRouter } from './faults/token-delay';
import { authorisationAdminRouter } from './interaction/authorisation-admin.router';
import type { HeadlessAuthoriser } from './interaction/headless-authoriser';
import { interactionRouter } from './interaction/interaction.router';
import type { AccessTokenVerifier } from './oidc/access-token-verifier';
import type { MemoryStorage } from './oidc/memory-adapter';
import { AIS_BASE_PATH, aisRouter } from './ais/ais.router';
import { consentAdminRouter } from './consents/consent-admin.router';
import { OB_ERROR_CODE, sendObError } from './ais/ob-error';
import { sampleAccounts, sampleParty } from './data/sample-data';
import type { SpecValidator } from './spec-validation/spec-validator';
import { signingClientFromMetadata } from './payments/jws-signature';
import { PaymentStore } from './payments/payment-store';
import { paymentsAdminRouter } from './payments/payments-admin.router';
import type { PaymentsRouterDeps } from './payments/resource-pipeline';
import type { ResponseSigner } from './payments/response-signer';
import { PIS_BASE_PATH, pisRouter } from './pis/pis.router';
import { VRP_BASE_PATH, vrpRouter } from './vrp/vrp.router';
import { mountV3, V3_BASE_PATHS, type V3Specs } from './v3-1-11/mount';
import { STANDARD_WELL_KNOWN_PATH, type MockBankQuirks } from './quirks/mock-bank-quirks';
import { authorisationFront, frontDoorActive } from './interaction/authorisation-front';
import { hasResponseQuirks, quirkyResponseBody, type QuirkRewriter } from './quirks/quirk-rewriter';
import { portalAdminRouter } from './dcr/registration.router';

export interface MockBankAppDeps {
  provider: Provider;
  ledger: Ledger;
  store: DirectoryStore;
  signer: DirectorySigner;
  urls: DirectoryUrls;
  directoryTokens: DirectoryTokenService;
  registrations: RegistrationService;
  adminToken?: string;
  consents: ConsentStore;
  faults: FaultInjector;
  storage: MemoryStorage;
  accessTokens: AccessTokenVerifier;
  authoriser: HeadlessAuthoriser;
  aisSpec: SpecValidator;
  pisSpec: SpecValidator;
  vrpSpec: SpecValidator;
  /** The v3.1.11 documents: AIS, PIS and VRP are also served in v3.1.11 (v3-1-11/mount.ts). */
  v3Specs?: V3Specs;
  /** The bank's public origin, for absolute Links. */
  baseUrl: string;
  /** The bank's own financial id (quirk requests.financialIds 'bank'). */
  financialId: string;
  /** Signs PIS and VRP responses with the bank's key (x-jws-signature). */
  responseSigner?: ResponseSigner;
  pageSize?: number;
  /** Quirk mode (standard when absent). */
  quirks?: MockBankQuirks;
  quirkRewriter?: QuirkRewriter;
}

/** Routes: /__admin, /directory, /register, and oidc-provider for everything else. */
export function createMockBankApp(deps: MockBankAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use('/__admin', adminRouter(deps));
  // Reached only through adminRouter's guard (it passes unmatched /__admin requests on).
  const networkFaults = new NetworkFaults(deps.ledger);
  app.use('/__admin', faultsRouter(deps.faults, networkFaults));
  const tokenDelay = new TokenDelay(deps.ledger);
  app.use('/__admin', tokenDelayRouter(tokenDelay));
  app.use('/__admin', authorisationAdminRouter(deps));
  app.use('/__admin', consentAdminRouter(deps.consents));
  const accounts = sampleAccounts();
  const payments = new PaymentStore(accounts);
  app.use('/__admin', paymentsAdminRouter(payments));
  app.use('/__admin', portalAdminRouter(deps.registrations));
  // Quirk discovery.omitMembers: the full document (as served before omission), for whoever
  // writes the profile's metadataOverrides.
  app.get('/__admin/openid-configuration', (_req, res) => {
    const full = deps.quirkRewriter?.fullDiscovery;
    if (full) res.json(full);
    else
      res.status(404).json({
        error: 'not_found',
        error_description:
          'no discovery document omitted anything yet; GET the well-known URL first',
      });
  });
  // Quirk mode: the x-fapi-financial-id each API requires (an API served under another
  // organisation's id), on the v4.0 and v3.1.11 paths.
  const financialIds = deps.quirks?.requests.financialIds;
  if (financialIds && Object.values(financialIds).some((id) => id !== 'any')) {
    // One id, or several comma-separated (a group of brands on one bank, each sending its own).
    const expected = (ids: string) =>
      ids.split(',').map((id) => (id === 'bank' ? deps.financialId : id));
    const check = (ids: string) => (req: Request, res: Response, next: NextFunction) => {
      if (ids === 'any') return next();
      const given = req.header('x-fapi-financial-id');
      if (given !== undefined && expected(ids).includes(given)) return next();
      sendObError(res, 403, [
        {
          ErrorCode: OB_ERROR_CODE.fieldInvalid,
          Message: `x-fapi-financial-id must be ${expected(ids).join(' or ')} on this API${given ? ` (got ${given})` : ''}`,
          Path: 'header.x-fapi-financial-id',
        },
      ]);
    };
    const ais = check(financialIds.accountAndTransaction);
    const pis = check(financialIds.paymentInitiation);
    const vrp = check(financialIds.variableRecurringPayments);
    app.use(AIS_BASE_PATH, ais);
    app.use(PIS_BASE_PATH, pis);
    app.use(VRP_BASE_PATH, vrp);
    if (deps.v3Specs) {
      app.use(V3_BASE_PATHS.ais, ais);
      app.use(V3_BASE_PATHS.vrp, vrp);
      // The v3.1.11 VRP document shares the PIS root (v3-1-11/mount.ts).
      app.use(V3_BASE_PATHS.pis, (req, res, next) =>
        req.path.startsWith('/domestic-vrp') ? vrp(req, res, next) : pis(req, res, next),
      );
    }
  }
  // Quirk mode: Links and date-times of AIS, PIS and VRP bodies the way the configured bank
  // writes them (only the bytes sent change; what the bank stores stays standard). On the
  // v3.1.11 paths too: the v3.1.11 front translates first, so the quirk applies to what it sends.
  const responses = deps.quirks?.responses;
  if (responses && hasResponseQuirks(responses)) {
    const paths = [PIS_BASE_PATH, VRP_BASE_PATH, AIS_BASE_PATH];
    if (deps.v3Specs) paths.push(...Object.values(V3_BASE_PATHS));
    app.use(paths, (_req, res, next) => {
      const json = res.json.bind(res);
      res.json = (body: unknown) => json(quirkyResponseBody(body, responses, deps.baseUrl));
      next();
    });
  }
  const paymentDeps: Omit<PaymentsRouterDeps, 'spec'> = {
    verifier: deps.accessTokens,
    clients: {
      find: async (clientId) => {
        const metadata = await deps.provider.Client.adapter.find(clientId);
        return metadata
          ? signingClientFromMetadata(metadata as Record<string, unknown>)
          : undefined;
      },
    },
    consents: deps.consents,
    payments,
    ledger: deps.ledger,
    baseUrl: deps.baseUrl,
    responseSigner: deps.responseSigner,
    jwsB64Header: deps.quirks?.requests.jwsB64Header === true,
  };
  // Before the resource routers and oidc-provider's token endpoint, so faults hit them first.
  app.use(networkFaults.middleware());
  const pis = pisRouter({ ...paymentDeps, spec: deps.pisSpec });
  const vrp = vrpRouter(
    { ...paymentDeps, spec: deps.vrpSpec },
    { refuseVrpType: deps.quirks?.requests.refuseVrpType === true },
  );
  app.use(PIS_BASE_PATH, pis);
  app.use(VRP_BASE_PATH, vrp);
  const ais = aisRouter({
    verifier: deps.accessTokens,
    consents: deps.consents,
    ledger: deps.ledger,
    spec: deps.aisSpec,
    baseUrl: deps.baseUrl,
    accounts,
    psuParty: sampleParty,
    pageSize: deps.pageSize,
    unsupportedPermissions: deps.quirks?.accountAccess.unsupportedPermissions,
  });
  app.use(AIS_BASE_PATH, ais);
  if (deps.v3Specs)
    mountV3(app, {
      specs: deps.v3Specs,
      routers: { ais, pis, vrp },
      ledger: deps.ledger,
      verifier: deps.accessTokens,
      clients: paymentDeps.clients,
      jwsB64Header: paymentDeps.jwsB64Header,
    });
  app.use(
    '/directory',
    directoryRouter({
      store: deps.store,
      signer: deps.signer,
      tokens: deps.directoryTokens,
      ledger: deps.ledger,
    }),
  );
  app.use(registrationRouter(deps.registrations, deps.provider, deps.ledger));
  // Quirk: discovery served at a non-standard path only (oidc-provider answers it from there).
  const wellKnownPath = deps.quirks?.discovery.wellKnownPath ?? STANDARD_WELL_KNOWN_PATH;
  if (wellKnownPath !== STANDARD_WELL_KNOWN_PATH) {
    app.get(STANDARD_WELL_KNOWN_PATH, (_req, res) => {
      res.status(404).json({ error: 'not_found', error_description: 'no such resource' });
    });
    app.get(wellKnownPath, (req, _res, next) => {
      req.url = STANDARD_WELL_KNOWN_PATH;
      // oidc-provider takes what originalUrl has before url as a mount path and would put it in
      // front of every endpoint it publishes (e.g. /openbanking/token).
      req.originalUrl = STANDARD_WELL_KNOWN_PATH;
      next();
    });
  }
  // Quirk authorisation.front: the authorisation request written the bank's own way.
  if (deps.quirks && frontDoorActive(deps.quirks.authorisation.front))
    app.use(authorisationFront(deps.quirks.authorisation.front, deps.consents));
  app.use(interactionRouter(deps));
  // The token-delay fault reads a /token body only while armed, and passes it on raw.
  app.post('/token', tokenDelay.middleware());
  // oidc-provider reads its own request bodies, so no body parser may run before it.
  app.use(deps.provider.callback());
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    console.error(`mock-bank: unhandled error: ${err.message}`);
    if (!res.headersSent)
      res
        .status(500)
        .json({ error: 'server_error', error_description: 'unexpected error in the mock bank' });
  });
  return app;
}
