import { join } from 'node:path';
import type { Express, Request, Router } from 'express';
import { AIS_BASE_PATH, AIS_OPERATIONS } from '../ais/ais.router';
import type { SigningClient } from '../payments/jws-signature';
import { PIS_BASE_PATH, PIS_OPERATIONS } from '../pis/pis.router';
import { SpecValidator } from '../spec-validation/spec-validator';
import { VRP_BASE_PATH, VRP_OPERATIONS } from '../vrp/vrp.router';
import { v3Router, type V3LedgerEvent } from './v3-router';

/** The paths the v3.1.11 documents declare (VRP's document declares /pisp; /vrp also serves it). */
export const V3_BASE_PATHS = {
  ais: '/open-banking/v3.1/aisp',
  pis: '/open-banking/v3.1/pisp',
  vrp: '/open-banking/v3.1/vrp',
} as const;

export interface V3Specs {
  ais: SpecValidator;
  pis: SpecValidator;
  vrp: SpecValidator;
}

/** The v3.1.11 documents; start-up fails when one is absent or loads without an operation served. */
export function loadV3Specs(specsDir: string): V3Specs {
  const at = (file: string) => join(specsDir, 'v3.1.11', file);
  return {
    ais: SpecValidator.load(at('account-info-openapi.json'), {
      expectedOperations: AIS_OPERATIONS,
      bankQueryParameters: ['page'],
    }),
    pis: SpecValidator.load(at('payment-initiation-openapi.json'), {
      expectedOperations: PIS_OPERATIONS,
    }),
    vrp: SpecValidator.load(at('vrp-openapi.json'), { expectedOperations: VRP_OPERATIONS }),
  };
}

export interface MountV3Deps {
  specs: V3Specs;
  routers: { ais: Router; pis: Router; vrp: Router };
  ledger: { record(event: V3LedgerEvent): void };
  verifier: { verify(req: Request): Promise<{ clientId: string }> };
  clients: { find(clientId: string): Promise<SigningClient | undefined> };
  /** Quirk requests.jwsB64Header. */
  jwsB64Header?: boolean;
}

/** Serves AIS, PIS and VRP in v3.1.11 in front of the v4.0 routers (same consents and ledger). */
export function mountV3(app: Express, deps: MountV3Deps): void {
  const signing = (operations: string[]) => ({
    operations,
    verifier: deps.verifier,
    clients: deps.clients,
    b64Header: deps.jwsB64Header === true,
  });
  const ais = v3Router({
    spec: deps.specs.ais,
    inner: deps.routers.ais,
    v4BasePath: AIS_BASE_PATH,
    ledger: deps.ledger,
    body: 'json',
  });
  const pis = v3Router({
    spec: deps.specs.pis,
    inner: deps.routers.pis,
    v4BasePath: PIS_BASE_PATH,
    ledger: deps.ledger,
    body: 'buffer',
    signed: signing(['CreateDomesticPaymentConsents', 'CreateDomesticPayments']),
  });
  const vrp = v3Router({
    spec: deps.specs.vrp,
    inner: deps.routers.vrp,
    v4BasePath: VRP_BASE_PATH,
    ledger: deps.ledger,
    body: 'buffer',
    signed: signing([
      'domesticVrpConsentsPost',
      'domesticVrpConsentsFundsConfirmation',
      'domesticVrpPost',
    ]),
  });
  app.use(V3_BASE_PATHS.ais, ais);
  app.use(V3_BASE_PATHS.vrp, vrp);
  // The v3.1.11 VRP document's server is /open-banking/v3.1/pisp: its paths share the PIS root.
  app.use(V3_BASE_PATHS.pis, (req, res, next) =>
    req.path.startsWith('/domestic-vrp') ? vrp(req, res, next) : pis(req, res, next),
  );
}
