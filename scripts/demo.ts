import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { JourneyError, JourneyStep, registrationJourney } from '../test/support/journeys';
import {
  createPki,
  enrolTpp,
  REPO_ROOT,
  startConnector,
  startMockBank,
} from '../test/support/sandbox';

/**
 * `npm run demo`: the connector against the bundled mock bank on an embedded SQLite file,
 * printed as a short transcript. `--verbose` echoes both services' logs.
 */
const verbose = process.argv.includes('--verbose');
const out = (line = ''): void => void process.stdout.write(line + '\n');

function describe(step: JourneyStep): string {
  const b = step.body;
  const pick = (...keys: string[]): string =>
    keys
      .filter((k) => b[k] !== undefined && b[k] !== null)
      .map((k) => `${k}=${typeof b[k] === 'object' ? JSON.stringify(b[k]) : String(b[k])}`)
      .join(', ');
  return pick(
    'id',
    'subjectDn',
    'keyId',
    'softwareId',
    'bankProfile',
    'externalApiId',
    'tokenEndpointAuthMethod',
    'scopes',
  );
}

async function main(): Promise<void> {
  const dir = join(REPO_ROOT, 'data', 'demo');
  rmSync(dir, { recursive: true, force: true });
  const apiKey = randomBytes(24).toString('base64url');
  const redirectUri = 'https://localhost/connector-demo/callback';

  out('UK Open Banking Connector: demo against the bundled mock bank');
  out('');
  const pki = await createPki(join(dir, 'pki'));
  out(`• Test PKI generated in data/demo/pki: CA, bank server certificate, OBWAC and OBSeal for`);
  out(`  organisation ${pki.manifest.organisationId}, software ${pki.manifest.softwareId}`);
  const bank = await startMockBank(pki, { echo: verbose });
  await enrolTpp(pki, bank, [redirectUri]);
  out(`• Mock bank up at ${bank.url}; the TPP is enrolled in its mock Open Banking directory`);
  const connector = await startConnector({
    pki,
    bank,
    apiKey,
    sqlitePath: join(dir, 'connector.sqlite'),
    echo: verbose,
  });
  out(
    `• Connector up at ${connector.url} on SQLite (data/demo/connector.sqlite), migrations applied`,
  );
  out(`  API key for this run: ${apiKey}`);
  out(`  try: curl -H 'Authorization: Bearer ${apiKey}' ${connector.url}/v1/manage/bank-profiles`);
  out('');

  let failed = false;
  try {
    const result = await registrationJourney(connector.api, pki, { redirectUri });
    result.steps.forEach((step, i) => {
      out(`${i + 1}. ${step.label}`);
      out(`   ${step.method} ${step.path} → ${step.status}  ${describe(step)}`);
    });
    const ledger = await bank.ledger();
    out('');
    out('The bank saw (its ledger):');
    const c = ledger.counts;
    out(`   DCR registrations: ${c.registrations}, GET /register: ${c.registerReads}`);
    out(
      `   token grants: ${
        Object.entries(c.tokenGrants)
          .map(([g, n]) => `${g} ×${n}`)
          .join(', ') || 'none'
      }`,
    );
    out('');
    out(
      `Registered with the mock bank as client ${result.externalApiId}; no bank token or secret left the connector.`,
    );
  } catch (error) {
    failed = true;
    if (error instanceof JourneyError) {
      out(`✗ ${error.step} failed: HTTP ${error.response.status}`);
      out(`  ${error.response.text}`);
    } else {
      out(`✗ ${(error as Error).message}`);
    }
    if (!verbose) out("  (run `node dist/scripts/demo.js --verbose` to see both services' logs)");
  } finally {
    await connector.stop();
    await bank.stop();
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
