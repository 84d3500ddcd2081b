import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FINANCIAL_ID } from '../../apps/mock-bank/src/mock-bank-options';
import type { LoadedPki } from '../../apps/mock-bank/src/pki';
import {
  BANK_START_CONCURRENCY,
  contractConnectorEnv,
  contractProfileFiles,
  CONTRACT_REDIRECT,
  type ContractBank,
  type ContractOutcome,
  type ContractProfile,
  planProfile,
  pooled,
  PROFILE_CONCURRENCY,
  runProfileContract,
  withMockMetadataOverrides,
  withSharingGroups,
} from '../support/profile-contract';
import {
  ConnectorHandle,
  createPki,
  enrolTpp,
  MockBankHandle,
  startConnector,
  startMockBank,
} from '../support/sandbox';

/**
 * The bank-profile contract: every profile file (bank-profiles/ and those named in
 * PROFILE_CONTRACT_FILES) runs registration, AIS, PIS and VRP (as far as it offers them)
 * against a mock bank started in that profile's quirk mode. One mock bank per distinct quirk
 * set, one connector with every profile pointed at its bank (BANK_PROFILE_OVERRIDES), profiles
 * run PROFILE_CONCURRENCY at a time; each profile's outcome is then one test.
 */
jest.setTimeout(600_000);

const files = contractProfileFiles();
const planned: ContractProfile[] = withSharingGroups(
  files.map(({ file, extra }) => planProfile(file, extra)),
);
let runnable = planned.filter((p) => !p.skip);
const skipped = planned.filter((p) => p.skip);

/** The SSA the mock bank's own directory issues (each bank verifies against its directory). */
function fetchSsa(pki: LoadedPki, bank: MockBankHandle): Promise<string> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({
      organisationId: pki.manifest.organisationId,
      softwareId: pki.manifest.softwareId,
    });
    const req = https.request(
      `${bank.url}/__admin/directory/ssa`,
      { method: 'POST', ca: pki.pem.ca, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(text)
            : reject(new Error(`SSA: ${res.statusCode} ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function httpsGet(pki: LoadedPki, url: string, expectStatus = 200): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: pki.pem.ca }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () =>
          res.statusCode === expectStatus
            ? resolve(text)
            : reject(new Error(`${url}: ${res.statusCode} (expected ${expectStatus})`)),
        );
      })
      .on('error', reject);
  });
}

describe('bank profile contract against the mock bank in each profile’s quirk mode', () => {
  let dir: string;
  let pki: LoadedPki;
  const banks = new Map<string, MockBankHandle & { ssaFile: string }>();
  let connector: ConnectorHandle | undefined;
  const outcomes = new Map<string, PromiseSettledResult<ContractOutcome>>();

  beforeAll(async () => {
    if (runnable.length === 0) return;
    dir = mkdtempSync(join(tmpdir(), 'obc-e2e-contract-'));
    pki = await createPki(join(dir, 'pki'));
    // One bank per bank key: a quirk set, or a group sharing one client (withSharingGroups).
    const bankKeys = [...new Map(runnable.map((p) => [p.bankKey, p.quirkKey]))];
    const started = await pooled(bankKeys, BANK_START_CONCURRENCY, async ([key, quirks]) => {
      const bank = await startMockBank(pki, { env: { MOCK_BANK_QUIRKS: quirks } });
      await enrolTpp(pki, bank, [CONTRACT_REDIRECT]);
      const ssaFile = join(dir, `ssa-${bank.port}.jwt`);
      writeFileSync(ssaFile, await fetchSsa(pki, bank));
      banks.set(key, { ...bank, ssaFile });
    });
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;

    // Profiles that supply discovery members get the mock bank's values of them.
    runnable = await Promise.all(
      runnable.map(async (profile) => {
        if (Object.keys(profile.definition.discovery.metadataOverrides).length === 0)
          return profile;
        const bank = banks.get(profile.bankKey) as MockBankHandle;
        // Served once (with the members left out), the full document is on the admin route. A
        // bank without discovery (discovery.mode 'none') answers 404, as the real one does.
        await httpsGet(
          pki,
          `${bank.url}${profile.quirks.discovery.wellKnownPath}`,
          profile.quirks.discovery.served ? 200 : 404,
        );
        return withMockMetadataOverrides(
          profile,
          await bank.admin<Record<string, unknown>>('/openid-configuration'),
        );
      }),
    );
    const bankOf = (p: ContractProfile) =>
      banks.get(p.bankKey) as MockBankHandle & { ssaFile: string };
    const first = bankOf(runnable[0]);
    connector = await startConnector({
      pki,
      bank: first,
      sqlitePath: join(dir, 'connector.sqlite'),
      env: contractConnectorEnv(runnable, (p) => bankOf(p).url, {
        caFile: join(pki.dir, pki.manifest.files.ca),
        financialId: DEFAULT_FINANCIAL_ID,
        extraDir: join(dir, 'extra-profiles'),
      }),
    });
    const api = connector.api;
    const connectorUrl = connector.url;
    // Brands sharing a group's client run once the group profile has registered.
    const phases = [runnable.filter((p) => !p.sharedWith), runnable.filter((p) => p.sharedWith)];
    for (const phase of phases) {
      const results = await pooled(phase, PROFILE_CONCURRENCY, (profile) => {
        const bank: ContractBank = bankOf(profile);
        const group = profile.sharedWith ? outcomes.get(profile.sharedWith) : undefined;
        return runProfileContract(
          api,
          pki,
          bank,
          profile,
          connectorUrl,
          group?.status === 'fulfilled' ? group.value : undefined,
        );
      });
      phase.forEach((p, i) => outcomes.set(p.id, results[i]));
    }
  });

  afterAll(async () => {
    await connector?.stop();
    await Promise.all([...banks.values()].map((b) => b.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has profiles to check', () => {
    expect(planned.length).toBeGreaterThan(0);
  });

  if (runnable.length > 0)
    it.each(runnable.map((p) => [p.id, p] as const))('%s', (_id, profile) => {
      const outcome = outcomes.get(profile.id);
      if (!outcome) throw new Error(`profile ${profile.id} did not run`);
      if (outcome.status === 'rejected') {
        const reason = outcome.reason as Error;
        throw new Error(
          `profile ${profile.id} (${profile.file}) failed the contract: ${reason.message}`,
        );
      }
      // Registration and every consent type the profile offers.
      const expected = [
        profile.sharedWith
          ? 'shared'
          : profile.definition.registration.mode === 'manual'
            ? 'import'
            : 'dcr',
        ...(profile.consentTypes.includes('account-access') ? ['ais'] : []),
        ...(profile.consentTypes.includes('domestic-payment') ? ['pis'] : []),
        ...(profile.consentTypes.includes('domestic-vrp') ? ['vrp'] : []),
      ];
      expect(outcome.value.ran).toEqual(expected);
    });

  // Listed, with the reason, so a skipped profile is never silently taken as checked.
  for (const profile of skipped)
    it.skip(`${profile.id}: skipped, ${profile.skip}`, () => undefined);
});
