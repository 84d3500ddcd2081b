import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import { AIS_OPERATIONS } from './ais/ais.router';
import { PIS_OPERATIONS } from './pis/pis.router';
import { VRP_OPERATIONS } from './vrp/vrp.router';
import { SpecValidator, withOptionalMember } from './spec-validation/spec-validator';
import { loadV3Specs } from './v3-1-11/mount';
import type { AddressInfo } from 'node:net';
import { Ledger } from './admin/ledger';
import { ConsentStore } from './consents/consent-store';
import { RegistrationService } from './dcr/registration.service';
import { DCR_34_SUBJECT_DN_MAX_LENGTH, loadRegistrationSchema } from './dcr/registration-schema';
import { DirectorySigner, DirectoryUrls } from './directory/directory-signer';
import { DirectoryStore } from './directory/directory-store';
import { DirectoryTokenService } from './directory/directory-token.service';
import { FaultInjector } from './faults/fault-injector';
import { HeadlessAuthoriser } from './interaction/headless-authoriser';
import { parseEnrolment } from './directory/software-statement-enrolment';
import { createMockBankApp } from './mock-bank.app';
import { DEFAULT_FINANCIAL_ID, type MockBankOptions } from './mock-bank-options';
import { generateBankSigningJwk } from './oidc/bank-signing-key';
import { ResponseSigner } from './payments/response-signer';
import { AccessTokenVerifier } from './oidc/access-token-verifier';
import { createProvider } from './oidc/create-provider';
import { MemoryStorage } from './oidc/memory-adapter';
import { loadTestPki } from './pki/load-test-pki';
import { parseMockBankQuirks, type MockBankQuirks } from './quirks/mock-bank-quirks';
import { QuirkRewriter } from './quirks/quirk-rewriter';

export interface RunningMockBank {
  /** https://localhost:<port> */
  url: string;
  port: number;
  issuer: string;
  ledger: Ledger;
  consents: ConsentStore;
  /** The quirk mode in force (the standard unless options.quirks said otherwise). */
  quirks: MockBankQuirks;
  close(): Promise<void>;
}

/**
 * Starts the mock bank: one HTTPS server on 127.0.0.1 that asks for client certificates and
 * checks them against the test CA, but lets the handshake through without one so each endpoint
 * decides (discovery and JWKS are public; token, DCR and the directory token need mTLS).
 */
export async function startMockBank(options: MockBankOptions): Promise<RunningMockBank> {
  const quirks = parseMockBankQuirks(options.quirks);
  const pki = await loadTestPki(options.pkiDir);
  const validateClaims = loadRegistrationSchema(
    options.specsDir,
    quirks.registration.subjectDnFormat === 'oid-hex'
      ? { subjectDnMaxLength: DCR_34_SUBJECT_DN_MAX_LENGTH }
      : {},
  );
  // Every AIS request is validated against the official v4.0 document; start-up fails when it
  // is absent or loads without the operations the bank serves.
  const aisSpec = SpecValidator.load(join(options.specsDir, 'v4.0', 'account-info-openapi.json'), {
    expectedOperations: AIS_OPERATIONS,
    bankQueryParameters: ['page'],
  });
  const pisSpec = SpecValidator.load(
    join(options.specsDir, 'v4.0', 'payment-initiation-openapi.json'),
    { expectedOperations: PIS_OPERATIONS },
  );
  const loadedVrpSpec = SpecValidator.load(join(options.specsDir, 'v4.0', 'vrp-openapi.json'), {
    expectedOperations: VRP_OPERATIONS,
  });
  const loadedV3Specs = loadV3Specs(options.specsDir);
  // Quirk requests.refuseVrpType: this bank's own document does not require Data.VRPType.
  const vrpSpec = quirks.requests.refuseVrpType
    ? withOptionalMember(loadedVrpSpec, 'domesticVrpPost', 'Data.VRPType')
    : loadedVrpSpec;
  const v3Specs = quirks.requests.refuseVrpType
    ? {
        ...loadedV3Specs,
        vrp: withOptionalMember(loadedV3Specs.vrp, 'domesticVrpPost', 'Data.VRPType'),
      }
    : loadedV3Specs;
  const seed = (options.directorySeed ?? []).map((entry, i) => {
    try {
      return parseEnrolment(entry);
    } catch (err) {
      throw new Error(`directory seed entry ${i}: ${(err as Error).message}`, { cause: err });
    }
  });

  const server = createServer({
    key: pki.pem.bankServerKey,
    cert: pki.pem.bankServer,
    ca: pki.pem.ca,
    requestCert: true,
    rejectUnauthorized: false,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://localhost:${port}`;
  const issuer = (options.issuer ?? url).replace(/\/$/, '');

  const ledger = new Ledger();
  const store = new DirectoryStore();
  seed.forEach((e) => store.enrol(e));
  const urls = new DirectoryUrls(issuer);
  const signer = new DirectorySigner(pki.pem.directorySigningKey, pki.manifest.directoryKid, urls);
  const consents = new ConsentStore(undefined, quirks.postCreateConsentDelayMs);
  const signingJwk = generateBankSigningJwk();
  const storage = new MemoryStorage();
  const faults = new FaultInjector(signingJwk);
  const rewriter = new QuirkRewriter(quirks, signingJwk, (id) => consents.get(id)?.psuId);
  const provider = createProvider({
    issuer,
    signingJwk,
    ledger,
    consents,
    storage,
    faults,
    quirks: rewriter,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
    ...(quirks.authorisation.requestObjectAudience !== 'issuer'
      ? { requestObjectAudience: quirks.authorisation.requestObjectAudience }
      : {}),
    hybridResponseInQuery: quirks.authorisation.hybridResponseInQuery,
    intentIdPrefix: quirks.authorisation.intentIdPrefix,
    appLinks: quirks.authorisation.appLinks,
    plainOAuth: quirks.authorisation.front.plainOAuth,
    discoveryServed: quirks.discovery.served,
    grantScope: {
      required: quirks.tokenEndpoint.scopeInConsentGrants,
      values: quirks.authorisation.front.requiredScopes,
    },
  });
  const registrations = new RegistrationService({
    provider,
    validateClaims,
    signer,
    urls,
    store,
    ledger,
    issuer,
    financialId: options.financialId ?? DEFAULT_FINANCIAL_ID,
    quirks: quirks.registration,
    extraScopes: quirks.authorisation.front.requiredScopes,
  });
  const app = createMockBankApp({
    provider,
    ledger,
    store,
    signer,
    urls,
    directoryTokens: new DirectoryTokenService(store, urls.token),
    registrations,
    adminToken: options.adminToken,
    consents,
    faults,
    storage,
    accessTokens: new AccessTokenVerifier(provider),
    authoriser: new HeadlessAuthoriser(
      issuer,
      url,
      pki.pem.ca,
      Object.values(quirks.authorisation.appLinks),
    ),
    aisSpec,
    pisSpec,
    vrpSpec,
    v3Specs,
    baseUrl: issuer,
    financialId: options.financialId ?? DEFAULT_FINANCIAL_ID,
    // The ASPSP signs its payment responses with the key its jwks_uri publishes; iss is its
    // organisation id, as in the OB directory.
    responseSigner: new ResponseSigner(
      signingJwk,
      options.financialId ?? DEFAULT_FINANCIAL_ID,
      faults,
    ),
    pageSize: options.pageSize,
    quirks,
    quirkRewriter: rewriter,
  });
  server.on('request', app);

  return { url, port, issuer, ledger, consents, quirks, close: () => closeServer(server) };
}

/** Stops accepting, lets in-flight requests finish, then drops keep-alive connections. */
async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), 2_000);
  force.unref();
  await closed;
  clearTimeout(force);
}
