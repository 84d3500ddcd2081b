import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, delimiter, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { LoadedPki } from '../../apps/mock-bank/src/pki';
import {
  CONFIGURED_API_FINANCIAL_ID,
  quirksFromProfile,
  type MockBankQuirks,
} from '../../apps/mock-bank/src/quirks/mock-bank-quirks';
import {
  listProfileFiles,
  PROFILE_FILE_EXTENSIONS,
  readProfileFile,
} from '../../libs/bank-profiles/src/bank-profile-file';
import type {
  ApiVersion,
  BankApiKind,
  BankProfileDefinition,
  ConsentType,
} from '../../libs/bank-profiles/src/bank-profile.types';
import { CONSENT_TYPE_BY_API } from '../../libs/bank-profiles/src/bank-profile.types';
import type { ConnectorApiClient } from './api-client';
import {
  authoriseAccountAccess,
  authoriseConsent,
  CREDITOR,
  JourneyError,
  softwareStatementJourney,
  sweepingVrpConsent,
  sweepingVrpPayment,
} from './journeys';
import { REPO_ROOT } from './sandbox';

/**
 * The table-driven contract test's plan: every profile file, the mock bank quirk mode it
 * implies, and why a profile is skipped when it cannot run yet. Used by
 * test/e2e/profile-contract.e2e-spec.ts (and through it by `npm run profile:check`).
 */

export const BUILT_IN_PROFILES_DIR = join(REPO_ROOT, 'bank-profiles');
/** Not real banks: profiles with the quirks no shipped profile has yet, run by default too. */
export const FIXTURE_PROFILES_DIR = join(REPO_ROOT, 'test/fixtures/bank-profiles');
/** Extra profile files (path-delimiter separated), e.g. from `npm run profile:check`. */
export const PROFILE_FILES_ENV = 'PROFILE_CONTRACT_FILES';
/** "1": run only the files named in PROFILE_CONTRACT_FILES, not the built-in and fixture ones. */
export const PROFILE_ONLY_ENV = 'PROFILE_CONTRACT_ONLY';
/** Profiles run at once (each: registration, AIS, PIS and VRP journeys). */
export const PROFILE_CONCURRENCY = Number(process.env.PROFILE_CONTRACT_CONCURRENCY ?? 6);
/** Mock bank processes started at once. */
export const BANK_START_CONCURRENCY = 3;
export const CONTRACT_REDIRECT = 'https://tpp.example/callback';

/** The mock bank's path of each API per spec version (the connector translates v3.1.11). */
export const MOCK_BANK_API_PATHS: Record<ApiVersion, Record<BankApiKind, string>> = {
  'v4.0': {
    accountAndTransaction: '/open-banking/v4.0/aisp',
    paymentInitiation: '/open-banking/v4.0/pisp',
    variableRecurringPayments: '/open-banking/v4.0/vrp',
  },
  // The v3.1.11 front (apps/mock-bank/src/v3-1-11). The v3.1.11 VRP document's server is
  // /open-banking/v3.1/pisp (the mock bank serves VRP at /open-banking/v3.1/vrp too).
  'v3.1.11': {
    accountAndTransaction: '/open-banking/v3.1/aisp',
    paymentInitiation: '/open-banking/v3.1/pisp',
    variableRecurringPayments: '/open-banking/v3.1/pisp',
  },
};

/**
 * Why a profile cannot run against the mock bank; the first that applies is reported. None today:
 * every profile runs. A rule added here must name a real reason, and its profiles still appear
 * (as skipped, with the reason) in the test report.
 */
export const CONTRACT_SKIP_RULES: {
  reason: string;
  applies(definition: BankProfileDefinition): boolean;
}[] = [];

export interface ContractProfile {
  id: string;
  file: string;
  /** True for files given through PROFILE_CONTRACT_FILES (served from an extra directory). */
  extra: boolean;
  definition: BankProfileDefinition;
  consentTypes: ConsentType[];
  /** The mock bank behaviour this profile implies (plus the contract's own, see contractQuirks). */
  quirks: MockBankQuirks;
  /** The quirks as MOCK_BANK_QUIRKS (JSON). */
  quirkKey: string;
  /**
   * Profiles with the same key share one mock bank process: the quirk key, plus the group for
   * the profiles of a group sharing one client (see withSharingGroups).
   */
  bankKey: string;
  /** registration.sharedWith: the group profile whose client this brand's registration reuses. */
  sharedWith?: string;
  /**
   * The brand's own x-fapi-financial-id in a sharing group, when it takes another id on some API
   * (apis.<api>.financialId): the group's bank then tells the brand's own id from the one that API
   * needs, which it could not if every profile used the bank's (see withSharingGroups).
   */
  brandFinancialId?: string;
  /** The file's content as written (before schema defaults). */
  document: Record<string, unknown>;
  /**
   * The content the connector gets instead of the file, when the contract must rewrite it:
   * discovery.metadataOverrides re-pointed from the real bank to the mock bank.
   */
  rewritten?: Record<string, unknown>;
  skip?: string;
}

/**
 * What every contract bank does besides the profile's own quirks, being deviations the
 * connector handles for every bank (so every profile must survive them): Links on another host
 * with a trailing slash added to the path (Coutts), and token_type in lower case.
 */
export function contractQuirks(profileDocument: unknown): MockBankQuirks {
  const quirks = quirksFromProfile(profileDocument);
  quirks.responses.links = 'other-host';
  quirks.responses.linksAddSlash = true;
  quirks.tokenEndpoint.tokenType = 'bearer';
  return quirks;
}

/** The profile files to run: built-in ones and/or those named in the environment. */
export function contractProfileFiles(env: NodeJS.ProcessEnv = process.env): {
  file: string;
  extra: boolean;
}[] {
  const extra = (env[PROFILE_FILES_ENV] ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((f) => resolve(f));
  const only = env[PROFILE_ONLY_ENV] === '1';
  const builtIn = only ? [] : listProfileFiles(BUILT_IN_PROFILES_DIR);
  const idOf = (f: string) => basename(f).replace(/\.(json|ya?ml)$/i, '');
  const extraIds = new Set(extra.map(idOf));
  const fixtures = only
    ? []
    : listProfileFiles(FIXTURE_PROFILES_DIR).filter((f) => !extraIds.has(idOf(f)));
  return [
    // An extra file with a built-in profile's id replaces it, as in the connector.
    ...builtIn.filter((f) => !extraIds.has(idOf(f))).map((file) => ({ file, extra: false })),
    ...[...fixtures, ...extra].map((file) => ({ file, extra: true })),
  ];
}

/** Reads and plans one profile; a file that does not load is an error, never a skip. */
export function planProfile(file: string, extra: boolean): ContractProfile {
  const read = readProfileFile(file);
  if (!read.ok) throw new Error(`${file} is not a valid profile:\n  ${read.problems.join('\n  ')}`);
  const definition = read.definition;
  const text = readFileSync(file, 'utf8');
  const raw: unknown = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  const quirks = contractQuirks(raw);
  const offered = (Object.keys(definition.apis) as BankApiKind[]).map(
    (a) => CONSENT_TYPE_BY_API[a],
  );
  const consentTypes = definition.consentTypes ?? offered;
  const skip = CONTRACT_SKIP_RULES.find((rule) => rule.applies(definition))?.reason;
  return {
    id: definition.id,
    file,
    extra,
    definition,
    consentTypes,
    quirks,
    quirkKey: JSON.stringify(quirks),
    bankKey: JSON.stringify(quirks),
    ...(definition.registration.sharedWith
      ? { sharedWith: definition.registration.sharedWith }
      : {}),
    document: raw as Record<string, unknown>,
    ...(skip ? { skip } : {}),
  };
}

/**
 * A group whose brands share one client (registration.sharedWith) runs on one mock bank of its
 * own, strict as the brands' profiles make it: one client per software statement, so a brand
 * whose registration made a DCR call of its own is refused. The group profile runs first and
 * registers; each brand then registers under the group's software statement and must reuse its
 * client. A group profile missing from the run (profile:check of a brand) is added from the
 * built-in or fixture profiles; every member must imply the same quirks but for the sharing and
 * the x-fapi-financial-id of each API: there the group's bank accepts what any member sends. A
 * brand that takes another id on some API (Lloyds Banking Group brands paying under the Lloyds
 * Bank id) keeps a financial id of its own (SHARING_BRAND_FINANCIAL_ID) for the rest, so the bank
 * still refuses that brand's payment sent under its own id.
 */
export function withSharingGroups(
  planned: ContractProfile[],
  plan: (file: string, extra: boolean) => ContractProfile = planProfile,
): ContractProfile[] {
  const all = [...planned];
  const byId = new Map(all.map((p) => [p.id, p]));
  for (const brand of planned) {
    const groupId = brand.sharedWith;
    if (groupId === undefined || byId.has(groupId)) continue;
    const file = [BUILT_IN_PROFILES_DIR, FIXTURE_PROFILES_DIR]
      .flatMap((dir) => PROFILE_FILE_EXTENSIONS.map((ext) => join(dir, `${groupId}${ext}`)))
      .find((f) => existsSync(f));
    if (!file)
      throw new Error(
        `${brand.file}: shares the registration of '${groupId}', which is not among the profiles to run; name its file too`,
      );
    const group = plan(file, file.startsWith(FIXTURE_PROFILES_DIR));
    all.push(group);
    byId.set(groupId, group);
  }
  const groupQuirks = new Map<string, MockBankQuirks>();
  const brandIds = new Map<string, string>();
  const apis = Object.keys(
    all[0]?.quirks.requests.financialIds ?? {},
  ) as (keyof MockBankQuirks['requests']['financialIds'])[];
  /**
   * What a member sends on each API: its own id where it names none ('any' and 'bank': the
   * bank's, or the brand's own when it takes another id on some API), else the id it names.
   */
  const sentIds = (profile: ContractProfile): MockBankQuirks['requests']['financialIds'] => {
    const ids = { ...profile.quirks.requests.financialIds };
    for (const api of apis) if (ids[api] === 'any') ids[api] = 'bank';
    const takesAnother = apis.some((api) => ids[api] !== 'bank');
    if (takesAnother && profile.sharedWith !== undefined) {
      brandIds.set(profile.id, SHARING_BRAND_FINANCIAL_ID);
      for (const api of apis) if (ids[api] === 'bank') ids[api] = SHARING_BRAND_FINANCIAL_ID;
    }
    return ids;
  };
  const withoutIds = (q: MockBankQuirks) =>
    JSON.stringify({ ...q, requests: { ...q.requests, financialIds: undefined } });
  for (const brand of all) {
    if (brand.sharedWith === undefined) continue;
    const group = byId.get(brand.sharedWith) as ContractProfile;
    const quirks = groupQuirks.get(group.id) ?? structuredClone(group.quirks);
    quirks.registration.oneClientPerSoftware = true;
    const brandQuirks = structuredClone(brand.quirks);
    brandQuirks.registration.oneClientPerSoftware = true;
    if (withoutIds(quirks) !== withoutIds(brandQuirks))
      throw new Error(
        `${brand.file}: implies other mock-bank quirks than '${group.id}', whose client it shares; a group runs on one mock bank, so its profiles must agree on everything but registration.sharedWith and the financial id of each API`,
      );
    if (!groupQuirks.has(group.id)) quirks.requests.financialIds = sentIds(group);
    const sent = sentIds(brand);
    for (const api of apis)
      quirks.requests.financialIds[api] = union(quirks.requests.financialIds[api], sent[api]);
    groupQuirks.set(group.id, quirks);
  }
  return all.map((profile) => {
    const groupId = profile.sharedWith ?? (groupQuirks.has(profile.id) ? profile.id : undefined);
    const quirks = groupId === undefined ? undefined : groupQuirks.get(groupId);
    if (groupId === undefined || !quirks) return profile;
    const quirkKey = JSON.stringify(quirks);
    const brandFinancialId = brandIds.get(profile.id);
    return {
      ...profile,
      quirks,
      quirkKey,
      bankKey: `${quirkKey}#group:${groupId}`,
      ...(brandFinancialId ? { brandFinancialId } : {}),
    };
  });
}

/** The financial id of a sharing brand that pays under another organisation's id. */
export const SHARING_BRAND_FINANCIAL_ID = '0015800000MOCKBRAND';

/** A mock-bank financial-id requirement accepting both (comma-separated ids; 'any' wins). */
function union(a: string, b: string): string {
  if (a === 'any' || b === 'any') return 'any';
  return [...new Set([...a.split(','), ...b.split(',')])].join(',');
}

/** The environment of one connector serving every runnable profile from its quirk bank. */
export function contractConnectorEnv(
  profiles: ContractProfile[],
  bankUrlOf: (profile: ContractProfile) => string,
  options: { caFile: string; financialId: string; extraDir: string },
): Record<string, string> {
  const overrides: Record<string, unknown> = {};
  for (const profile of profiles) {
    const url = bankUrlOf(profile);
    const apis: Record<string, { baseUrl: string; financialId?: string }> = {};
    for (const [kind, api] of Object.entries(profile.definition.apis)) {
      if (!api) continue;
      apis[kind] = { baseUrl: `${url}${MOCK_BANK_API_PATHS[api.version][kind as BankApiKind]}` };
      // An API taken under another organisation's id the bank does not publish: the id its
      // contract bank requires there (quirksFromProfile).
      if (
        profile.definition.requiredConfiguration.includes(
          `apis.${kind}.financialId` as (typeof profile.definition.requiredConfiguration)[number],
        )
      )
        apis[kind].financialId = CONFIGURED_API_FINANCIAL_ID;
    }
    overrides[profile.id] = {
      // A profile that accepts an issuer mismatch meets one: its configured issuer is not the
      // one the bank publishes (the well-known URL is explicit, so discovery still works).
      issuerUrl: profile.definition.discovery.acceptIssuerMismatch
        ? `${url}/configured-issuer`
        : url,
      wellKnownUrl: `${url}${profile.quirks.discovery.wellKnownPath}`,
      financialId: profile.brandFinancialId ?? options.financialId,
      apis,
      tls: { caBundleFile: options.caFile },
    };
  }
  mkdirSync(options.extraDir, { recursive: true });
  for (const profile of profiles) {
    if (profile.rewritten)
      writeFileSync(
        join(options.extraDir, `${profile.id}.json`),
        JSON.stringify(profile.rewritten, null, 2),
      );
    else if (profile.extra)
      copyFileSync(profile.file, join(options.extraDir, basename(profile.file)));
  }
  return {
    BANK_PROFILE_OVERRIDES: JSON.stringify(overrides),
    BANK_PROFILES_EXTRA_DIR: options.extraDir,
  };
}

/**
 * A profile whose discovery.metadataOverrides name the real bank's endpoints, re-pointed at the
 * mock bank's own values of those members (the mock bank leaves them out of its discovery
 * document, as the real bank does). Served from the extra directory, replacing the file.
 */
export function withMockMetadataOverrides(
  profile: ContractProfile,
  fullDiscovery: Record<string, unknown>,
): ContractProfile {
  const overrides = Object.keys(profile.definition.discovery.metadataOverrides);
  if (overrides.length === 0) return profile;
  const document = structuredClone(profile.document);
  const discovery = (document.discovery ?? {}) as { metadataOverrides?: Record<string, unknown> };
  discovery.metadataOverrides = Object.fromEntries(
    overrides.map((member) => [member, fullDiscovery[member]]),
  );
  document.discovery = discovery;
  return { ...profile, rewritten: document };
}

/** Runs `work` over `items`, at most `limit` at a time, keeping each outcome. */
export async function pooled<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await work(items[i]) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}

/** The bank side a journey needs: admin calls and the SSA its directory issued. */
export interface ContractBank {
  url: string;
  admin<T>(path: string, body?: unknown): Promise<T>;
  ssaFile: string;
}

export interface ContractOutcome {
  /** What ran, in order, e.g. ['dcr', 'ais', 'pis', 'vrp']; 'shared' for a brand's registration. */
  ran: string[];
  softwareStatementId: string;
  /** The first registration and its client id (what the brands of a group share). */
  registrationId: string;
  clientId: string;
}

const OFFSET_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

function fail(step: string, detail: string): never {
  throw new Error(`${step}: ${detail}`);
}

function expectOk(step: string, status: number, expected: number, body: unknown): void {
  if (status !== expected)
    fail(step, `HTTP ${status} (expected ${expected}): ${JSON.stringify(body).slice(0, 600)}`);
}

/**
 * quirks.authorisation.authorisationEndpointByConsentType: the caller's authUrl starts with the
 * endpoint the profile names (Zopa: its app's deep link). The mock bank authorises such a
 * consent only when its headless PSU opened that link "in the app", so the journey above already
 * failed otherwise; this names the reason.
 */
function expectAuthorisationEndpoint(
  profile: ContractProfile,
  consentType: ConsentType,
  authUrl: string,
): void {
  const endpoint =
    profile.definition.quirks.authorisation.authorisationEndpointByConsentType?.[consentType];
  if (endpoint !== undefined && !authUrl.startsWith(`${endpoint}?`))
    fail(`${consentType} authUrl`, `${authUrl.slice(0, 80)}... does not start with ${endpoint}`);
}

/** Every *DateTime member of a body, at any depth. */
function dateTimes(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => dateTimes(n, out));
  else if (node !== null && typeof node === 'object')
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key.endsWith('DateTime') && typeof value === 'string') out.push(value);
      else dateTimes(value, out);
    }
  return out;
}

/**
 * The contract for one profile: registration (DCR, or import of a client made in the bank's
 * portal for manual-registration profiles), then per consent type the profile offers: AIS
 * consent, authorisation and account reads; PIS consent, authorisation and a payment; VRP
 * consent, authorisation and a VRP.
 */
export async function runProfileContract(
  api: ConnectorApiClient,
  pki: LoadedPki,
  bank: ContractBank,
  profile: ContractProfile,
  connectorUrl: string,
  /** For a brand sharing its group's client: the group profile's outcome. */
  group?: ContractOutcome,
): Promise<ContractOutcome> {
  const ran: string[] = [];
  const registration = profile.definition.registration;
  if (profile.sharedWith !== undefined && !group)
    fail('shared registration', `the group profile '${profile.sharedWith}' did not register`);
  const statement = group
    ? { softwareStatementId: group.softwareStatementId }
    : await softwareStatementJourney(api, pki, {
        redirectUri: CONTRACT_REDIRECT,
        ssaFile: bank.ssaFile,
      });
  const clientIds = new Map<string, string>();

  const register = async (scopes?: string[]): Promise<string> => {
    if (registration.mode === 'manual') {
      const client = await bank.admin<{ client_id: string; client_secret?: string }>('/clients', {
        organisationId: pki.manifest.organisationId,
        softwareId: pki.manifest.softwareId,
        redirectUris: [CONTRACT_REDIRECT],
        tokenEndpointAuthMethod: profile.definition.tokenEndpointAuthMethod,
        tlsClientAuthSubjectDn: pki.manifest.transportSubjectDn,
        ...(scopes ? { scope: scopes.join(' ') } : {}),
      });
      const body: Record<string, unknown> = {
        bankProfile: profile.id,
        softwareStatementId: statement.softwareStatementId,
        externalApiId: client.client_id,
        ...(scopes ? { scopes } : {}),
      };
      if (client.client_secret) {
        const secretFile = join(pki.dir, '..', `secret-${randomUUID()}`);
        writeFileSync(secretFile, client.client_secret, { mode: 0o600 });
        body.externalApiSecret = { source: 'file', name: secretFile };
      }
      const imported = await api.post<{ id: string; externalApiId: string }>(
        '/v1/manage/bank-registrations',
        body,
      );
      expectOk('import the portal client', imported.status, 201, imported.body);
      clientIds.set(imported.body.id, imported.body.externalApiId);
      return imported.body.id;
    }
    const step = group ? 'register sharing the group client' : 'register by DCR';
    const created = await api.post<{ id: string; externalApiId: string }>(
      '/v1/manage/bank-registrations',
      {
        bankProfile: profile.id,
        softwareStatementId: statement.softwareStatementId,
        ...(scopes ? { scopes } : {}),
      },
    );
    expectOk(step, created.status, 201, created.body);
    if (group && created.body.externalApiId !== group.clientId)
      fail(step, `client ${created.body.externalApiId}, not the group's ${group.clientId}`);
    clientIds.set(created.body.id, created.body.externalApiId);
    const read = await api.get(`/v1/manage/bank-registrations/${created.body.id}`);
    expectOk('read the registration back', read.status, 200, read.body);
    return created.body.id;
  };

  const mainRegistration = await register();
  ran.push(group ? 'shared' : registration.mode === 'manual' ? 'import' : 'dcr');
  // A bank with one client per API: the default registration holds the first API scope of
  // defaultScopes; the other API gets a registration of its own.
  const firstApiScope = registration.defaultScopes.find(
    (s) => s === 'accounts' || s === 'payments' || s === 'fundsconfirmations',
  );
  const clientFor = async (scope: 'accounts' | 'payments'): Promise<string> =>
    !registration.separateClientsPerApi || firstApiScope === scope
      ? mainRegistration
      : register(['openid', scope]);

  if (profile.consentTypes.includes('account-access')) {
    const aisRegistration = await clientFor('accounts');
    const consent = await authoriseAccountAccess(api, bank, aisRegistration).catch(
      (error: unknown) =>
        fail(
          'AIS consent and authorisation',
          error instanceof JourneyError ? error.message : String(error),
        ),
    );
    const headers = { 'x-account-access-consent-id': consent.consentId };
    const accounts = await api.get<{
      Data: { Account: { AccountId: string }[] };
      Links: { Self: string };
    }>('/v1/aisp/accounts', headers);
    expectOk('AIS read of accounts', accounts.status, 200, accounts.body);
    if (!accounts.body.Links.Self.startsWith(connectorUrl))
      fail('AIS Links', `Self is ${accounts.body.Links.Self}, not a connector URL`);
    const accountId = accounts.body.Data.Account[0]?.AccountId;
    if (!accountId) fail('AIS read of accounts', 'no account');
    const transactions = await api.get(`/v1/aisp/accounts/${accountId}/transactions`, headers);
    expectOk('AIS read of transactions', transactions.status, 200, transactions.body);
    // Direct debits too (where their date-times may be no date at all), unless the bank refuses
    // the permission.
    const readDirectDebits =
      !profile.definition.quirks.accountAccess.unsupportedPermissions.includes('ReadDirectDebits');
    const directDebits = readDirectDebits
      ? await api.get(`/v1/aisp/accounts/${accountId}/direct-debits`, headers)
      : undefined;
    if (directDebits)
      expectOk('AIS read of direct debits', directDebits.status, 200, directDebits.body);
    const bad = [...dateTimes(transactions.body), ...dateTimes(directDebits?.body)].filter(
      (d) => !OFFSET_DATE_TIME.test(d) || Number.isNaN(Date.parse(d)),
    );
    if (bad.length)
      fail('AIS date-times', `not ISO 8601 with an offset: ${bad.slice(0, 3).join(', ')}`);
    // The rewritten Self link (whatever the bank wrote: another host, a trailing slash) is a
    // connector route that answers.
    const self = await api.get(accounts.body.Links.Self.slice(connectorUrl.length), headers);
    expectOk('AIS Links.Self followed', self.status, 200, self.body);
    ran.push('ais');
  }

  const paymentRegistration =
    profile.consentTypes.includes('domestic-payment') ||
    profile.consentTypes.includes('domestic-vrp')
      ? await clientFor('payments')
      : mainRegistration;

  if (profile.consentTypes.includes('domestic-payment')) {
    const consent = await api.post<{ id: string }>(
      '/v1/pisp/domestic-payment-consents',
      {
        bankRegistrationId: paymentRegistration,
        externalApiRequest: {
          Data: {
            Initiation: {
              InstructionIdentification: `i-${randomUUID().slice(0, 8)}`,
              EndToEndIdentification: `e-${randomUUID().slice(0, 8)}`,
              InstructedAmount: { Amount: '10.50', Currency: 'GBP' },
              CreditorAccount: CREDITOR,
            },
          },
          Risk: {},
        },
      },
      { 'idempotency-key': randomUUID() },
    );
    expectOk('PIS consent', consent.status, 201, consent.body);
    const { authUrl } = await authoriseConsent(
      api,
      bank,
      `/v1/pisp/domestic-payment-consents/${consent.body.id}/auth-contexts`,
    ).catch((error: unknown) => fail('PIS authorisation', String(error)));
    expectAuthorisationEndpoint(profile, 'domestic-payment', authUrl);
    const payment = await api.post(
      '/v1/pisp/domestic-payments',
      { domesticPaymentConsentId: consent.body.id },
      { 'idempotency-key': randomUUID() },
    );
    expectOk('PIS payment', payment.status, 201, payment.body);
    ran.push('pis');
  }

  if (profile.consentTypes.includes('domestic-vrp')) {
    const initiation = { CreditorAccount: CREDITOR };
    // With the refund account, so a VRP response carries one (in the standard shape once the
    // connector has applied the profile's response repairs).
    const consentBody = sweepingVrpConsent(paymentRegistration, initiation) as {
      externalApiRequest: { Data: Record<string, unknown> };
    };
    consentBody.externalApiRequest.Data.ReadRefundAccount = 'Yes';
    const consent = await api.post<{ id: string }>('/v1/vrp/domestic-vrp-consents', consentBody, {
      'idempotency-key': randomUUID(),
    });
    expectOk('VRP consent', consent.status, 201, consent.body);
    const { authUrl } = await authoriseConsent(
      api,
      bank,
      `/v1/vrp/domestic-vrp-consents/${consent.body.id}/auth-contexts`,
    ).catch((error: unknown) => fail('VRP authorisation', String(error)));
    expectAuthorisationEndpoint(profile, 'domestic-vrp', authUrl);
    const vrp = await api.post(
      '/v1/vrp/domestic-vrps',
      sweepingVrpPayment(consent.body.id, initiation, '25.00', randomUUID().slice(0, 8)),
      { 'idempotency-key': randomUUID() },
    );
    expectOk('VRP payment', vrp.status, 201, vrp.body);
    const refund = (
      vrp.body as { externalApiResponse?: { Data?: { Refund?: Record<string, unknown> } } }
    ).externalApiResponse?.Data?.Refund;
    if (!refund || typeof refund.Identification !== 'string' || 'Account' in refund)
      fail('VRP refund account', `not an OBCashAccountDebtorWithName: ${JSON.stringify(refund)}`);
    ran.push('vrp');
  }
  return {
    ran,
    softwareStatementId: statement.softwareStatementId,
    registrationId: mainRegistration,
    clientId: clientIds.get(mainRegistration) ?? '',
  };
}

/** Whether a path names a profile file that exists (for messages before anything starts). */
export function missingFiles(files: string[]): string[] {
  return files.filter((f) => !existsSync(f));
}
