import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SignJWT, importPKCS8 } from 'jose';
import { startMockBank, type RunningMockBank } from '../mock-bank';
import type { MockBankOptions } from '../mock-bank-options';
import { generateTestPki } from '../pki/generate-test-pki';
import { loadTestPki, type LoadedPki } from '../pki/load-test-pki';
import { tppEnrolment } from '../pki/tpp-enrolment';
import { httpsRequest, type TestTls } from './https-request';

export const SPECS_DIR =
  process.env.MOCK_BANK_SPECS_DIR ?? resolve(__dirname, '../../../../../shared/ob-specs');
export const REDIRECT_URI = 'https://tpp.example/callback';

export interface TestBank {
  bank: RunningMockBank;
  pki: LoadedPki;
  pkiDir: string;
  /** TLS options presenting the TPP transport certificate. */
  mtls: TestTls;
  /** TLS options trusting the bank but presenting no client certificate. */
  noCert: TestTls;
  stop(): Promise<void>;
}

/** A mock bank on 127.0.0.1:0 with a fresh temp PKI and the TPP enrolled in the directory. */
export async function startTestBank(options: Partial<MockBankOptions> = {}): Promise<TestBank> {
  const pkiDir = await mkdtemp(join(tmpdir(), 'mock-bank-test-'));
  await generateTestPki(pkiDir);
  const pki = await loadTestPki(pkiDir);
  const bank = await startMockBank({
    pkiDir,
    specsDir: SPECS_DIR,
    port: 0,
    directorySeed: [tppEnrolment(pki, [REDIRECT_URI])],
    ...options,
  });
  return {
    bank,
    pki,
    pkiDir,
    mtls: { ca: pki.pem.ca, cert: pki.pem.tppTransport, key: pki.pem.tppTransportKey },
    noCert: { ca: pki.pem.ca },
    stop: async () => {
      await bank.close();
      await rm(pkiDir, { recursive: true, force: true });
    },
  };
}

export async function signWithTppKey(
  pki: LoadedPki,
  claims: Record<string, unknown>,
): Promise<string> {
  const key = await importPKCS8(pki.pem.tppSigningKey, 'PS256');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'PS256', kid: pki.manifest.signingKid, typ: 'JWT' })
    .sign(key);
}

export async function fetchSsa(t: TestBank, adminToken?: string): Promise<string> {
  const res = await httpsRequest(`${t.bank.url}/__admin/directory/ssa`, t.noCert, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(adminToken ? { authorization: `Bearer ${adminToken}` } : {}),
    },
    body: JSON.stringify({
      organisationId: t.pki.manifest.organisationId,
      softwareId: t.pki.manifest.softwareId,
    }),
  });
  if (res.status !== 200) throw new Error(`SSA fetch failed: ${res.status} ${res.text}`);
  return res.text;
}

/** OBClientRegistration1 claims for the test TPP, overridable per test. */
export function registrationClaims(
  t: TestBank,
  ssa: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: t.pki.manifest.softwareId,
    iat: now,
    exp: now + 300,
    aud: '0015800001041RMOCK',
    jti: randomUUID(),
    redirect_uris: [REDIRECT_URI],
    token_endpoint_auth_method: 'tls_client_auth',
    tls_client_auth_subject_dn: t.pki.manifest.transportSubjectDn,
    grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
    response_types: ['code id_token'],
    software_id: t.pki.manifest.softwareId,
    scope: 'openid accounts payments',
    software_statement: ssa,
    application_type: 'web',
    id_token_signed_response_alg: 'PS256',
    request_object_signing_alg: 'PS256',
    ...overrides,
  };
}

export async function register(
  t: TestBank,
  jwt: string,
  tls: TestTls = t.mtls,
  contentType = 'application/jwt',
) {
  return httpsRequest(`${t.bank.url}/register`, tls, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: jwt,
  });
}
