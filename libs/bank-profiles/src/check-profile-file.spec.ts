import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkProfileFile } from './check-profile-file';
import { BANK_PROFILE_SCHEMA_PATH } from './bank-profile.schema';
import { profileDocument } from './testing/bank-profile.builder';

describe('checkProfileFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'obc-profiles-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(name: string, content: string | Record<string, unknown>): string {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return path;
  }

  it('accepts a minimal valid JSON profile', () => {
    expect(checkProfileFile(write('test-bank.json', profileDocument()))).toEqual({
      ok: true,
      errors: [],
    });
  });

  it('accepts a YAML profile', () => {
    const yaml = [
      'id: yaml-bank',
      'displayName: YAML Bank',
      'group: test',
      'environment: production',
      'issuerUrl: https://auth.yaml-bank.example',
      'financialId: 001580000YAML',
      'apis:',
      '  accountAndTransaction: { version: v3.1.11, baseUrl: "https://rs.yaml-bank.example/open-banking/v3.1/aisp" }',
      'tokenEndpointAuthMethod: private_key_jwt',
    ].join('\n');
    expect(checkProfileFile(write('yaml-bank.yml', yaml))).toEqual({ ok: true, errors: [] });
  });

  // Each bad file: the message must name the file, the field (JSON pointer) and a fix.
  const cases: Array<[string, string, Record<string, unknown> | string, RegExp[]]> = [
    [
      'an enum value out of range',
      'test-bank.json',
      profileDocument('test-bank', { registration: { mode: 'auto' } }),
      [/\/registration\/mode must be one of dcr, manual \(got 'auto'\)/, /fix the value or see /],
    ],
    [
      'an unknown property',
      'test-bank.json',
      profileDocument('test-bank', { quirks: { postCreateConsentDelay: 5 } }),
      [
        /\/quirks\/postCreateConsentDelay is not a known property \(allowed here: postCreateConsentDelayMs, /,
        /remove it/,
      ],
    ],
    [
      'a missing required property',
      'test-bank.json',
      profileDocument('test-bank', { environment: undefined }),
      [/\/environment is required/, /add it/],
    ],
    [
      'a value of the wrong type',
      'test-bank.json',
      profileDocument('test-bank', { registration: { getSupported: 'yes' } }),
      [
        /\/registration\/getSupported must be of type boolean \(got string 'yes'\)/,
        /fix the value/,
      ],
    ],
    [
      'a URL that is not one',
      'test-bank.json',
      profileDocument('test-bank', { issuerUrl: 'auth.test-bank.example' }),
      [/\/issuerUrl must match format "uri" \(got 'auth.test-bank.example'\)/, /fix the value/],
    ],
    [
      'a base URL with a trailing slash',
      'test-bank.json',
      profileDocument('test-bank', {
        apis: { accountAndTransaction: { version: 'v4.0', baseUrl: 'https://rs.example/aisp/' } },
      }),
      [
        /\/apis\/accountAndTransaction\/baseUrl must match pattern/,
        /Expected: Full base URL of the API/,
      ],
    ],
    [
      'an id that is not kebab-case',
      'Test_Bank.json',
      profileDocument('Test_Bank'),
      [/\/id must match pattern/, /Expected: Stable profile id/],
    ],
    [
      'an id that does not match the file name',
      'other-name.json',
      profileDocument('test-bank'),
      [
        /\/id is 'test-bank' but the file is named 'other-name'/,
        /rename the file to 'test-bank.json' or set \/id to 'other-name'/,
      ],
    ],
    [
      'a missing issuer not listed as required configuration',
      'test-bank.json',
      profileDocument('test-bank', { issuerUrl: undefined }),
      [/\/issuerUrl is missing/, /list 'issuerUrl' in \/requiredConfiguration/],
    ],
    [
      'a consent type without its API',
      'test-bank.json',
      profileDocument('test-bank', { consentTypes: ['domestic-vrp'] }),
      [
        /\/consentTypes\/0 is 'domestic-vrp' but the API serving it is not declared/,
        /declare the API or remove/,
      ],
    ],
    [
      'unparseable JSON',
      'test-bank.json',
      '{ "id": "test-bank", }',
      [/is not valid JSON \(/, /fix the syntax/],
    ],
    [
      'unparseable YAML',
      'test-bank.yaml',
      'id: test-bank\n  displayName: [unclosed\n',
      [/is not valid YAML \(/, /fix the syntax/],
    ],
    [
      'a document that is not an object',
      'test-bank.yaml',
      '- just\n- a list\n',
      [/ \/ must be of type object \(got array/],
    ],
  ];

  it.each(cases)('rejects %s, naming file, field and fix', (_label, name, content, expected) => {
    const path = write(name, content);
    const result = checkProfileFile(path);
    expect(result.ok).toBe(false);
    const message = result.errors.join('\n');
    expect(message).toContain(path.startsWith(process.cwd()) ? name : path);
    for (const pattern of expected) expect(message).toMatch(pattern);
  });

  it('reports every problem of a file at once', () => {
    const path = write(
      'test-bank.json',
      profileDocument('test-bank', { environment: 'staging', tokenEndpointAuthMethod: 'none' }),
    );
    const { errors } = checkProfileFile(path);
    expect(errors).toHaveLength(2);
    expect(errors.join('\n')).toContain('/environment');
    expect(errors.join('\n')).toContain('/tokenEndpointAuthMethod');
    expect(
      errors.every((e) => e.startsWith(`${path}: `) && e.includes(BANK_PROFILE_SCHEMA_PATH)),
    ).toBe(true);
  });

  it('reports a file it cannot read', () => {
    const result = checkProfileFile(join(dir, 'absent.json'));
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatch(/absent\.json: cannot be read/);
  });
});
