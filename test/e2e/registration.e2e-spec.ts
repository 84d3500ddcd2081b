import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { LoadedPki } from '../../apps/mock-bank/src/pki';
import { RegistrationJourneyResult } from '../support/journeys';
import { describeWithPostgres, TestDatabase } from '../support/postgres';
import { ConnectorHandle, MockBankHandle, Sandbox, startSandbox } from '../support/sandbox';

jest.setTimeout(120_000);

/**
 * The foundation journey end to end: connector and mock bank as separate processes, real mTLS on
 * 127.0.0.1, the connector on a real PostgreSQL database it migrates with the migration command.
 */
describeWithPostgres('bank registration end to end (PostgreSQL, mTLS)', () => {
  let sandbox: Sandbox;
  let dir: string;
  let pki: LoadedPki;
  let bank: MockBankHandle;
  let connector: ConnectorHandle;
  let db: TestDatabase;
  let journey: RegistrationJourneyResult;

  beforeAll(async () => {
    sandbox = await startSandbox({ tempPrefix: 'obc-e2e-reg-', register: true });
    ({ dir, pki, bank, connector, db, registration: journey } = sandbox);
  });

  afterAll(() => sandbox?.stop());

  it('registers by DCR and reads the registration back with a client-credentials token', async () => {
    expect(journey.steps.map((s) => s.status)).toEqual([201, 201, 201, 201, 200]);
    const registration = journey.steps[3].body;
    expect(registration).toMatchObject({
      bankProfile: 'mock-bank',
      tokenEndpointAuthMethod: 'tls_client_auth',
    });
    expect(typeof registration.externalApiId).toBe('string');
    expect(registration.externalApiResponse).toMatchObject({
      client_id: registration.externalApiId,
    });
    expect(JSON.stringify(registration)).not.toMatch(/client_secret"|registration_access_token"/);
    const { counts } = await bank.ledger();
    expect(counts.registrations).toBe(1);
    expect(counts.tokenGrantsByClient[String(registration.externalApiId)]).toEqual({
      client_credentials: 1,
    });
    expect(counts.registerReads).toBe(1);
    // A second read reuses the cached client-credentials token.
    const again = await connector.api.get(
      `/v1/manage/bank-registrations/${journey.bankRegistrationId}`,
    );
    expect(again.status).toBe(200);
    const after = (await bank.ledger()).counts;
    expect(after.registerReads).toBe(2);
    expect(after.tokenGrantsByClient[String(registration.externalApiId)]).toEqual({
      client_credentials: 1,
    });
  });

  it('answers with x-request-id and refuses callers without an API key', async () => {
    const anonymous = await connector.api
      .withApiKey(undefined)
      .get('/v1/manage/bank-registrations');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(anonymous.body).toMatchObject({ status: 401, code: 'auth/invalid-api-key' });
    const wrong = await connector.api
      .withApiKey('not-a-configured-key-000000')
      .get('/v1/manage/bank-registrations');
    expect(wrong.status).toBe(401);
    const ok = await connector.api.get('/v1/manage/bank-registrations', {
      'x-request-id': 'trace-123',
    });
    expect(ok.headers.get('x-request-id')).toBe('trace-123');
    const live = await connector.api.withApiKey(undefined).get('/health/ready');
    expect(live.status).toBe(200);
  });

  describe('bad input is refused with problem+json and nothing is stored', () => {
    async function counts(): Promise<Record<string, number>> {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        const out: Record<string, number> = {};
        for (const table of [
          'obwac_certificate',
          'obseal_certificate',
          'software_statement',
          'bank_registration',
        ]) {
          const r = await client.query<{ n: string }>(`select count(*) as n from ${table}`);
          out[table] = Number(r.rows[0].n);
        }
        return out;
      } finally {
        await client.end();
      }
    }

    let before: Record<string, number>;
    beforeEach(async () => {
      before = await counts();
    });
    afterEach(async () => {
      expect(await counts()).toEqual(before);
    });

    it('malformed JSON', async () => {
      const res = await connector.api.request(
        'POST',
        '/v1/manage/software-statements',
        undefined,
        {},
        '{"organisationId": ',
      );
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect(res.body).toMatchObject({ code: 'request/malformed-body' });
    });

    it('unknown fields', async () => {
      const res = await connector.api.post('/v1/manage/bank-registrations', {
        bankProfile: 'mock-bank',
        softwareStatementId: journey.softwareStatementId,
        surprise: true,
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'request/validation-failed' });
      expect(JSON.stringify((res.body as { errors: unknown }).errors)).toContain('surprise');
    });

    it('unknown bank profile id, with the known ids listed', async () => {
      const res = await connector.api.post('/v1/manage/bank-registrations', {
        bankProfile: 'no-such-bank',
        softwareStatementId: journey.softwareStatementId,
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'bank-profile/unknown' });
      expect((res.body as { detail: string }).detail).toContain('mock-bank');
    });

    it('unknown software statement', async () => {
      const res = await connector.api.post('/v1/manage/bank-registrations', {
        bankProfile: 'mock-bank',
        softwareStatementId: '00000000-0000-4000-8000-000000000000',
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect((res.body as { code: string }).code).toMatch(/^software-statement\//);
    });

    it('a certificate whose key does not match', async () => {
      const res = await connector.api.post('/v1/manage/obwac-certificates', {
        certificatePem: pki.pem.untrustedTransport,
        privateKey: { source: 'file', name: join(pki.dir, pki.manifest.files.tppTransportKey) },
      });
      expect(res.status).toBe(400);
      expect((res.body as { code: string }).code).toMatch(/key-mismatch$/);
    });

    it('DCR rejected by the bank: the bank error is in bank.body', async () => {
      // The directory's SSA lists only SANDBOX_REDIRECT; the bank refuses any other redirect URI.
      const res = await connector.api.post('/v1/manage/bank-registrations', {
        bankProfile: 'mock-bank',
        softwareStatementId: journey.softwareStatementId,
        redirectUris: ['https://not-in-the-ssa.example/cb'],
        defaultRedirectUri: 'https://not-in-the-ssa.example/cb',
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      const problem = res.body as {
        code: string;
        bank?: { status: number; body: { error?: string } };
      };
      expect(problem.code).toBe('bank/request-rejected');
      expect(problem.bank?.status).toBe(400);
      expect(problem.bank?.body.error).toBe('invalid_redirect_uri');
    });
  });

  it('stores no token, secret or private key in clear and logs none', async () => {
    // An imported client with a secret, so a client secret is stored too.
    const secretFile = join(dir, 'client-secret.txt');
    const clientSecret = 'imported-secret-' + randomBytes(16).toString('hex');
    writeFileSync(secretFile, clientSecret);
    const imported = await connector.api.post('/v1/manage/bank-registrations', {
      bankProfile: 'mock-bank',
      softwareStatementId: journey.softwareStatementId,
      externalApiId: 'imported-client-' + randomBytes(4).toString('hex'),
      externalApiSecret: { source: 'file', name: secretFile },
    });
    expect(imported.status).toBe(201);

    const secrets = await bank.issuedSecrets();
    expect(secrets.length).toBeGreaterThanOrEqual(2); // the SSA and the client-credentials token at least
    secrets.push(clientSecret);
    const privateKeyBody = pki.pem.tppTransportKey.split('\n')[1];
    secrets.push(privateKeyBody);

    const client = new Client({ connectionString: db.url });
    await client.connect();
    let dump = '';
    try {
      const tables = await client.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = 'public'",
      );
      for (const { table_name } of tables.rows) {
        const rows = await client.query(`select * from "${table_name}"`);
        dump += JSON.stringify(rows.rows);
      }
    } finally {
      await client.end();
    }
    expect(dump).toContain('obc1.'); // encrypted values are there
    const logs = connector.process.output();
    for (const secret of secrets) {
      expect(dump).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});
