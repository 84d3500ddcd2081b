import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectorApiClient } from '../test/support/api-client';
import { randomUUID } from 'node:crypto';
import {
  authoriseAccountAccess,
  authoriseConsent,
  CREDITOR,
  JourneyError,
  JourneyStep,
  registrationJourney,
  sweepingVrpConsent,
  sweepingVrpPayment,
} from '../test/support/journeys';
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

interface ObPage {
  Data: Record<string, Record<string, unknown>[]>;
  Links: { Next?: string };
}

/** Only the last four digits of an account identification are ever shown. */
function mask(identification: unknown): string {
  const text = String(identification ?? '');
  return text.length > 4 ? `••••${text.slice(-4)}` : '••••';
}

async function printAccounts(
  api: ConnectorApiClient,
  consentId: string,
  baseUrl: string,
): Promise<void> {
  const headers = { 'x-account-access-consent-id': consentId };
  const get = async (path: string): Promise<ObPage> => {
    const res = await api.get<ObPage>(path, headers);
    if (res.status !== 200) throw new JourneyError(`GET ${path}`, res);
    return res.body;
  };
  out('');
  out('Accounts (read through the connector; the bank token never left it):');
  const accounts = (await get('/v1/aisp/accounts')).Data.Account ?? [];
  for (const account of accounts) {
    const id = String(account.AccountId);
    const ident = (account.Account as Record<string, unknown>[] | undefined)?.[0];
    const balances = (await get(`/v1/aisp/accounts/${id}/balances`)).Data.Balance ?? [];
    const balance = balances[0]?.Amount as { Amount: string; Currency: string } | undefined;
    out(
      `   ${String(account.Nickname ?? account.AccountSubType ?? id).padEnd(24)} ${mask(ident?.Identification)}  ` +
        (balance ? `${balance.Currency} ${balance.Amount}` : ''),
    );
  }
  const first = accounts[0];
  if (!first) return;
  const page1 = await get(`/v1/aisp/accounts/${String(first.AccountId)}/transactions`);
  const tx1 = page1.Data.Transaction ?? [];
  out('');
  out(
    `Transactions of ${String(first.Nickname ?? first.AccountId)}: page 1 has ${tx1.length}, e.g.`,
  );
  for (const t of tx1.slice(0, 3)) {
    const amount = t.Amount as { Amount: string; Currency: string };
    out(
      `   ${String(t.BookingDateTime).slice(0, 10)}  ${String(t.CreditDebitIndicator).padEnd(6)} ${amount.Currency} ${amount.Amount}`,
    );
  }
  if (page1.Links.Next) {
    out(`   next page via the connector: ${page1.Links.Next}`);
    const page2 = await get(page1.Links.Next.slice(baseUrl.length));
    out(`   page 2 has ${(page2.Data.Transaction ?? []).length} more`);
  }
}

async function created(
  label: string,
  call: Promise<{ status: number; body: unknown; text: string }>,
): Promise<Record<string, unknown>> {
  const res = await call;
  if (res.status !== 201) throw new JourneyError(label, res as never);
  return res.body as Record<string, unknown>;
}

/** A signed domestic payment, then a sweeping VRP consent with two payments under it. */
async function payments(
  api: ConnectorApiClient,
  bank: { admin<T>(path: string, body?: unknown): Promise<T> },
  bankRegistrationId: string,
): Promise<void> {
  const key = () => ({ 'idempotency-key': randomUUID() });
  out('');
  out('Payments (each request signed with a detached JWS, each creation idempotent):');
  const consent = await created(
    'domestic payment consent',
    api.post(
      '/v1/pisp/domestic-payment-consents',
      {
        bankRegistrationId,
        externalApiRequest: {
          Data: {
            Initiation: {
              InstructionIdentification: 'demo-1',
              EndToEndIdentification: 'demo-1',
              InstructedAmount: { Amount: '12.34', Currency: 'GBP' },
              CreditorAccount: CREDITOR,
              RemittanceInformation: { Reference: 'Demo invoice 1' },
            },
          },
          Risk: {},
        },
      },
      key(),
    ),
  );
  await authoriseConsent(
    api,
    bank,
    `/v1/pisp/domestic-payment-consents/${String(consent.id)}/auth-contexts`,
  );
  const payment = await created(
    'domestic payment',
    api.post('/v1/pisp/domestic-payments', { domesticPaymentConsentId: consent.id }, key()),
  );
  out(
    `   domestic payment GBP 12.34 to ${CREDITOR.Name}: ${String(payment.status)} (bank id ${String(payment.externalApiId)})`,
  );

  const initiation = { CreditorAccount: CREDITOR };
  const vrpConsent = await created(
    'VRP consent',
    api.post(
      '/v1/vrp/domestic-vrp-consents',
      sweepingVrpConsent(bankRegistrationId, initiation),
      key(),
    ),
  );
  await authoriseConsent(
    api,
    bank,
    `/v1/vrp/domestic-vrp-consents/${String(vrpConsent.id)}/auth-contexts`,
  );
  out('   VRP consent (sweeping): at most GBP 50.00 a payment, GBP 100.00 a month');
  for (const [n, amount] of [
    [1, '20.00'],
    [2, '25.00'],
  ] as const) {
    const vrp = await created(
      `VRP ${n}`,
      api.post(
        '/v1/vrp/domestic-vrps',
        sweepingVrpPayment(String(vrpConsent.id), initiation, amount, `demo-${n}`),
        key(),
      ),
    );
    out(`   VRP ${n}: GBP ${amount}: ${String(vrp.status)} (bank id ${String(vrp.externalApiId)})`);
  }
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
    out('');
    const consent = await authoriseAccountAccess(connector.api, bank, result.bankRegistrationId);
    consent.steps.forEach((step, i) => {
      out(`${result.steps.length + i + 1}. ${step.label}`);
      out(`   ${step.method} ${step.path} → ${step.status}  ${describe(step)}`);
    });
    await printAccounts(connector.api, consent.consentId, connector.url);
    await payments(connector.api, bank, result.bankRegistrationId);
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
