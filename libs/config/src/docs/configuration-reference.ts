import { CONFIG_SETTINGS } from '../settings/config-settings';
import { expectation } from '../settings/setting-parsers';
import { ConfigSetting, isDerivedDefault } from '../settings/setting.types';

const GROUP_TITLES: Record<string, string> = {
  configFile: 'Config file',
  nodeEnv: 'Runtime',
  server: 'HTTP server',
  log: 'Logging',
  auth: 'Caller authentication',
  database: 'Database',
  encryption: 'Encryption at rest',
  bankProfiles: 'Bank profiles',
  bankHttp: 'Outbound bank calls',
  directory: 'Open Banking directory',
  aws: 'AWS',
  authContexts: 'Authorisation contexts',
  tokens: 'Tokens',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function defaultText(s: ConfigSetting): string {
  if (s.required) return '(required)';
  if (s.default === undefined) return '(none)';
  if (isDerivedDefault(s.default)) return s.default.describe;
  if (typeof s.default === 'object' && !Buffer.isBuffer(s.default))
    return `\`${JSON.stringify(s.default)}\``;
  return `\`${String(s.default)}\``;
}

function cells(s: ConfigSetting): string[] {
  const name = s.secret
    ? `\`${s.env}\` (secret: or \`${s.env}_FILE\`, \`${s.env}_SSM\`)`
    : `\`${s.env}\``;
  const path = s.envOnly ? '(environment only)' : `\`${s.path}\``;
  return [name, path, expectation(s), defaultText(s), s.description].map(cell);
}

/** A markdown table with padded columns, laid out as prettier would (so the doc passes lint). */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)];
}

/** The configuration reference (docs/configuration.md), rendered from CONFIG_SETTINGS. */
export function renderConfigurationReference(
  settings: readonly ConfigSetting[] = CONFIG_SETTINGS,
): string {
  const lines: string[] = [
    '# Configuration reference',
    '',
    '<!-- Generated from CONFIG_SETTINGS (libs/config) by `npm run docs:config`. Do not edit by hand. -->',
    '',
    'The connector is configured by environment variables and, optionally, a YAML or JSON file named by',
    '`CONFIG_FILE` holding the same settings as a tree (the "Path" column, camelCase). An environment',
    'variable overrides the file. An empty variable counts as unset. Start-up validates everything at',
    'once and refuses to start with a message naming every bad variable and what it expects.',
    '',
    '## Secret settings',
    '',
    'A setting marked secret can be given in one of three forms (more than one is an error):',
    '',
    '- `NAME`: the value itself;',
    '- `NAME_FILE`: the path of a file holding the value (trailing newlines are dropped);',
    '- `NAME_SSM`: the name of an AWS SSM Parameter Store parameter, read with decryption',
    '  (`AWS_REGION`, `AWS_SSM_ENDPOINT`; credentials from the AWS SDK default chain).',
    '',
    'In the config file a secret setting may hold the value or a SecretRef `{ source, name }`.',
    '',
    '## Secret references',
    '',
    'API requests reference secrets as `SecretRef = { source, name }`, never inline:',
    '',
    ...table(
      ['source', 'name'],
      [
        ['`env`', 'an environment variable of the connector (as it was at start-up)'],
        [
          '`file`',
          'a file path (no `..` segments); relative paths are read from the working directory',
        ],
        ['`aws-ssm`', 'an SSM parameter name, read with decryption'],
        ['`config`', "a key of the config file's `secrets:` map"],
      ],
    ),
    '',
    'Resolved values are cached for 60 seconds.',
    '',
    '## Settings',
  ];
  const groups = new Map<string, ConfigSetting[]>();
  for (const s of settings) {
    const g = s.path.split('.')[0];
    groups.set(g, [...(groups.get(g) ?? []), s]);
  }
  for (const [g, members] of groups) {
    lines.push('', `### ${GROUP_TITLES[g] ?? g}`, '');
    lines.push(
      ...table(['Variable', 'Path', 'Expects', 'Default', 'Description'], members.map(cells)),
    );
  }
  lines.push('');
  return lines.join('\n');
}
