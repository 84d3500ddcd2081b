import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  MockBankQuirksError,
  parseMockBankQuirks,
  quirksFromProfile,
  type MockBankQuirks,
} from './quirks/mock-bank-quirks';
import { resolve } from 'node:path';

export interface MockBankOptions {
  /** Directory written by generateTestPki (pki.json and PEM files). */
  pkiDir: string;
  /** The ob-specs directory (holds dcr-v3.3/client-registration-openapi.json). */
  specsDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to https://localhost:<port>. */
  issuer?: string;
  /** When set, /__admin routes need `Authorization: Bearer <adminToken>`. */
  adminToken?: string;
  /** The ASPSP's financial id, accepted as DCR audience. */
  financialId?: string;
  /** Software statements enrolled in the directory at start-up (admin enrolment bodies). */
  directorySeed?: unknown[];
  /** Page size of transaction lists (MOCK_BANK_PAGE_SIZE; default 50). */
  pageSize?: number;
  /** Access token lifetime in seconds (MOCK_BANK_ACCESS_TOKEN_TTL; default 300). */
  accessTokenTtlSeconds?: number;
  /**
   * Quirk mode: how this bank deviates from the standard (a partial MockBankQuirks, merged over
   * the standard). From MOCK_BANK_PROFILE and/or MOCK_BANK_QUIRKS when started by main.ts.
   */
  quirks?: unknown;
}

export const DEFAULT_FINANCIAL_ID = '0015800001041RMOCK';

export class MockBankConfigError extends Error {}

/** Reads the MOCK_BANK_* variables (only main.ts calls this; tests pass options directly). */
export function mockBankOptionsFromEnv(
  env: NodeJS.ProcessEnv,
  repoRoot: string,
): Omit<MockBankOptions, 'directorySeed'> & { directorySeedFile?: string } {
  const problems: string[] = [];
  const port = env.MOCK_BANK_PORT ? Number(env.MOCK_BANK_PORT) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push('MOCK_BANK_PORT must be a port number (0 for any free port)');
  const pkiDir = env.MOCK_BANK_PKI_DIR
    ? resolve(env.MOCK_BANK_PKI_DIR)
    : resolve(repoRoot, 'data/pki');
  if (!existsSync(pkiDir)) {
    problems.push(
      `MOCK_BANK_PKI_DIR: no test PKI at ${pkiDir}; generate one with \`npm run pki\` (node dist/scripts/generate-test-pki.js --out ${pkiDir})`,
    );
  }
  const specsDir = resolve(env.MOCK_BANK_SPECS_DIR ?? resolve(repoRoot, '../shared/ob-specs'));
  if (!existsSync(specsDir)) {
    problems.push(
      `MOCK_BANK_SPECS_DIR: the OB OpenAPI documents were looked for in ${specsDir} and are not there; set MOCK_BANK_SPECS_DIR to the ob-specs directory`,
    );
  }
  const accessTokenTtlSeconds = env.MOCK_BANK_ACCESS_TOKEN_TTL
    ? Number(env.MOCK_BANK_ACCESS_TOKEN_TTL)
    : undefined;
  if (
    accessTokenTtlSeconds !== undefined &&
    !(Number.isInteger(accessTokenTtlSeconds) && accessTokenTtlSeconds > 0)
  )
    problems.push('MOCK_BANK_ACCESS_TOKEN_TTL must be a whole number of seconds above 0');
  const directorySeedFile = env.MOCK_BANK_DIRECTORY_SEED
    ? resolve(env.MOCK_BANK_DIRECTORY_SEED)
    : undefined;
  if (directorySeedFile && !existsSync(directorySeedFile))
    problems.push(`MOCK_BANK_DIRECTORY_SEED: no file at ${directorySeedFile}`);
  const { quirks, profileFinancialId } = quirksFromEnv(env, problems);
  if (problems.length)
    throw new MockBankConfigError(
      `mock-bank configuration is invalid:\n  - ${problems.join('\n  - ')}`,
    );
  return {
    pkiDir,
    specsDir,
    port,
    issuer: env.MOCK_BANK_ISSUER || undefined,
    adminToken: env.MOCK_BANK_ADMIN_TOKEN || undefined,
    // With MOCK_BANK_PROFILE the bank answers to the profile's financial id unless told otherwise.
    financialId: env.MOCK_BANK_FINANCIAL_ID || profileFinancialId || undefined,
    directorySeedFile,
    accessTokenTtlSeconds,
    pageSize: env.MOCK_BANK_PAGE_SIZE ? Number(env.MOCK_BANK_PAGE_SIZE) : undefined,
    quirks,
  };
}

/**
 * MOCK_BANK_PROFILE=<bank profile file>: behave like that profile's quirks (quirksFromProfile);
 * MOCK_BANK_QUIRKS=<JSON>: quirks given directly, laid over the profile's when both are set.
 */
function quirksFromEnv(
  env: NodeJS.ProcessEnv,
  problems: string[],
): { quirks?: MockBankQuirks; profileFinancialId?: string } {
  let quirks: MockBankQuirks | undefined;
  let profileFinancialId: string | undefined;
  try {
    if (env.MOCK_BANK_PROFILE) {
      const file = resolve(env.MOCK_BANK_PROFILE);
      if (!existsSync(file)) {
        problems.push(`MOCK_BANK_PROFILE: no file at ${file}`);
        return {};
      }
      const text = readFileSync(file, 'utf8');
      const profile = (/\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text)) as unknown;
      quirks = quirksFromProfile(profile);
      const financialId = (profile as { financialId?: unknown }).financialId;
      if (typeof financialId === 'string') profileFinancialId = financialId;
    }
    if (env.MOCK_BANK_QUIRKS) {
      const given = JSON.parse(env.MOCK_BANK_QUIRKS) as unknown;
      quirks = quirks
        ? parseMockBankQuirks(given, 'MOCK_BANK_QUIRKS', quirks)
        : parseMockBankQuirks(given, 'MOCK_BANK_QUIRKS');
    }
  } catch (err) {
    const what = env.MOCK_BANK_QUIRKS
      ? 'MOCK_BANK_PROFILE / MOCK_BANK_QUIRKS'
      : 'MOCK_BANK_PROFILE';
    problems.push(
      err instanceof MockBankQuirksError
        ? err.message
        : `${what}: not valid JSON or YAML (${(err as Error).message})`,
    );
  }
  return { quirks, profileFinancialId };
}
