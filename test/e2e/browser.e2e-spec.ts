import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, Browser } from 'playwright-core';
import { LoadedPki } from '../../apps/mock-bank/src/pki';
import { registrationJourney } from '../support/journeys';
import {
  ConnectorHandle,
  createPki,
  enrolTpp,
  freePort,
  MockBankHandle,
  startConnector,
  startMockBank,
} from '../support/sandbox';

jest.setTimeout(180_000);

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const requireBrowser = process.env.CI === 'true' || process.env.REQUIRE_BROWSER === '1';
const describeWithBrowser = existsSync(CHROMIUM) || requireBrowser ? describe : describe.skip;
if (!existsSync(CHROMIUM) && !requireBrowser) {
  console.warn(`browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}

/**
 * A person in a real browser: Chromium opens the authUrl, clicks Approve on the mock bank's
 * consent page, the bank redirects to the connector's fragment landing page, whose script hands
 * the parameters to the delegate; then the connector reads accounts.
 */
describeWithBrowser('consent approval in a real browser (Chromium)', () => {
  let dir: string;
  let pki: LoadedPki;
  let bank: MockBankHandle;
  let connector: ConnectorHandle;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obc-e2e-browser-'));
    pki = await createPki(join(dir, 'pki'));
    bank = await startMockBank(pki);
    const port = await freePort();
    const landing = `http://127.0.0.1:${port}/v1/auth/fragment-redirect`;
    await enrolTpp(pki, bank, [landing]);
    connector = await startConnector({
      pki,
      bank,
      port,
      sqlitePath: join(dir, 'connector.sqlite'),
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await connector?.stop();
    await bank?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('approves on the consent page and the connector then reads accounts', async () => {
    const landing = `${connector.url}/v1/auth/fragment-redirect`;
    const reg = await registrationJourney(connector.api, pki, { redirectUri: landing });
    const consent = await connector.api.post<{ id: string }>('/v1/aisp/account-access-consents', {
      bankRegistrationId: reg.bankRegistrationId,
      templateRequest: { type: 'MaximumPermissions' },
    });
    expect(consent.status).toBe(201);
    const ctx = await connector.api.post<{ authUrl: string }>(
      `/v1/aisp/account-access-consents/${consent.body.id}/auth-contexts`,
      { redirectUri: landing },
    );
    expect(ctx.status).toBe(201);

    // The test CA is not in Chromium's trust store; the connector side is plain HTTP on loopback.
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto(ctx.body.authUrl);
    await page.locator('#approve').click();
    await page.waitForURL(/\/v1\/auth\/fragment-redirect/);
    await page.locator('#status', { hasText: 'Authorised' }).waitFor({ timeout: 30_000 });
    await context.close();

    const accounts = await connector.api.get<{ Data: { Account: unknown[] } }>(
      '/v1/aisp/accounts',
      {
        'x-account-access-consent-id': consent.body.id,
      },
    );
    expect(accounts.status).toBe(200);
    expect(accounts.body.Data.Account.length).toBeGreaterThan(0);
  });
});
