import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MockBankConfigError, mockBankOptionsFromEnv } from './mock-bank-options';
import { parseMockBankQuirks } from './quirks/mock-bank-quirks';

const REPO = resolve(__dirname, '../../..');

describe('mockBankOptionsFromEnv quirk modes', () => {
  let dir: string;
  const base = (): NodeJS.ProcessEnv => ({ MOCK_BANK_PKI_DIR: dir, MOCK_BANK_SPECS_DIR: dir });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mock-bank-options-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has no quirks unless told', () => {
    expect(mockBankOptionsFromEnv(base(), REPO).quirks).toBeUndefined();
  });

  it('MOCK_BANK_PROFILE derives the quirks; MOCK_BANK_QUIRKS lays its own over them', () => {
    const profile = join(dir, 'bank.json');
    writeFileSync(
      profile,
      JSON.stringify({
        registration: { audience: 'financial-id', clientIdIssuedAtUnit: 'milliseconds' },
      }),
    );
    const options = mockBankOptionsFromEnv(
      {
        ...base(),
        MOCK_BANK_PROFILE: profile,
        MOCK_BANK_QUIRKS: '{"tokenEndpoint":{"tokenType":"bearer"}}',
      },
      REPO,
    );
    const quirks = parseMockBankQuirks(options.quirks);
    expect(quirks.registration).toMatchObject({
      audience: 'financial-id',
      clientIdIssuedAtUnit: 'milliseconds',
    });
    expect(quirks.tokenEndpoint.tokenType).toBe('bearer');
    expect(options.financialId).toBeUndefined(); // the profile names none
  });

  it("MOCK_BANK_PROFILE: the bank answers to the profile's financial id unless MOCK_BANK_FINANCIAL_ID says otherwise", () => {
    const profile = join(dir, 'with-id.json');
    writeFileSync(profile, JSON.stringify({ financialId: '0015800001041PROF' }));
    expect(
      mockBankOptionsFromEnv({ ...base(), MOCK_BANK_PROFILE: profile }, REPO).financialId,
    ).toBe('0015800001041PROF');
    expect(
      mockBankOptionsFromEnv(
        { ...base(), MOCK_BANK_PROFILE: profile, MOCK_BANK_FINANCIAL_ID: 'X' },
        REPO,
      ).financialId,
    ).toBe('X');
  });

  it.each([
    [{ MOCK_BANK_QUIRKS: '{not json' }, /MOCK_BANK_QUIRKS: not valid JSON or YAML/],
    [
      { MOCK_BANK_QUIRKS: '{"responses":{"links":"ftp"}}' },
      /MOCK_BANK_QUIRKS\.responses\.links must be one of/,
    ],
    [{ MOCK_BANK_PROFILE: '/nowhere/bank.json' }, /MOCK_BANK_PROFILE: no file at/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => mockBankOptionsFromEnv({ ...base(), ...env }, REPO)).toThrow(MockBankConfigError);
    expect(() => mockBankOptionsFromEnv({ ...base(), ...env }, REPO)).toThrow(message);
  });
});
