import { join } from 'node:path';
import { BANK_APIS, loadBankProfiles } from '@obc/bank-profiles';
import type { BankApiKind, BankProfile } from '@obc/bank-profiles';

/** Where the matrix lives, relative to the repository root. */
export const PROFILE_MATRIX_PATH = join('docs', 'bank-profiles-matrix.md');

const API_LABELS: Record<BankApiKind, string> = {
  accountAndTransaction: 'AIS',
  paymentInitiation: 'PIS',
  variableRecurringPayments: 'VRP',
};

/** The shipped profiles (bank-profiles/ under `root`), without configuration overrides. */
export function loadShippedProfiles(root: string): BankProfile[] {
  const quiet = { log: (): void => undefined, warn: (): void => undefined };
  return loadBankProfiles({ builtinDir: join(root, 'bank-profiles'), overrides: {} }, quiet);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A markdown table with padded columns, laid out as prettier would (so the doc passes lint). */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)];
}

function registration(p: BankProfile): string {
  if (p.registration.mode === 'manual') return 'manual';
  const jose = p.registration.requestContentType === 'application/jose' ? ', jose body' : '';
  return `DCR ${p.registration.dcrVersion}${jose}`;
}

/** The registration cell: the kind, and the profile whose client a brand shares. */
function registrationCell(p: BankProfile): string {
  const shared = p.registration.sharedWith;
  return shared === undefined ? registration(p) : `${registration(p)}; client of \`${shared}\``;
}

function profileRow(p: BankProfile): string[] {
  return [
    `\`${p.id}\``,
    p.displayName,
    p.environment,
    ...BANK_APIS.map((api) => p.apis[api]?.version ?? '-'),
    registrationCell(p),
    `\`${p.tokenEndpointAuthMethod}\``,
    p.requiredConfiguration.length ? p.requiredConfiguration.join(', ') : '-',
  ].map(cell);
}

function countBy<T>(items: readonly T[], key: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b));
}

/** docs/bank-profiles-matrix.md: profiles x APIs x versions x registration x auth, by group. */
export function renderProfileMatrix(profiles: readonly BankProfile[]): string {
  const sorted = [...profiles].sort(
    (a, b) => a.group.localeCompare(b.group) || a.id.localeCompare(b.id),
  );
  const groups = [...new Set(sorted.map((p) => p.group))];
  const banks = sorted.filter((p) => p.environment !== 'mock');
  const lines: string[] = [
    '# Bank profiles: capability matrix',
    '',
    '<!-- Generated from bank-profiles/ by `npm run docs:profiles`. Do not edit by hand. -->',
    '',
    'What each shipped bank profile offers: the Open Banking API versions per API (AIS account and',
    'transaction, PIS payment initiation, VRP variable recurring payments; `-` when not offered), how a',
    'client is registered, how the connector authenticates at the token endpoint, and which values the',
    'operator must supply (`BANK_PROFILE_OVERRIDES`) because the bank does not publish them. Each',
    "profile's sources and its known deviations are in its file's `documentation`; see",
    '[bank-profiles/README.md](../bank-profiles/README.md) for adding a bank.',
    '',
    '## Counts',
    '',
    `${sorted.length} profiles in ${groups.length} groups: ${banks.length} banks' profiles and ${sorted.length - banks.length} for the project's mock bank; ${sorted.filter((p) => p.configured).length} usable as shipped, ${sorted.filter((p) => !p.configured).length} waiting for configuration.`,
    '',
    ...table(
      ['environment', 'profiles'],
      countBy(sorted, (p) => p.environment).map(([k, n]) => [k, String(n)]),
    ),
    '',
    ...table(
      ['API', 'profiles', 'v4.0', 'v3.1.11'],
      BANK_APIS.map((api) => {
        const offering = sorted.filter((p) => p.apis[api]);
        const on = (v: string): string =>
          String(offering.filter((p) => p.apis[api]?.version === v).length);
        return [API_LABELS[api], String(offering.length), on('v4.0'), on('v3.1.11')];
      }),
    ),
    '',
    ...table(
      ['registration', 'profiles'],
      countBy(sorted, registration).map(([k, n]) => [k, String(n)]),
    ),
    '',
    ...table(
      ['token endpoint auth', 'profiles'],
      countBy(sorted, (p) => p.tokenEndpointAuthMethod).map(([k, n]) => [`\`${k}\``, String(n)]),
    ),
    '',
    ...table(
      ['group', 'profiles'],
      groups.map((g) => [g, String(sorted.filter((p) => p.group === g).length)]),
    ),
    '',
    '## Profiles by group',
  ];
  for (const group of groups) {
    const members = sorted.filter((p) => p.group === group);
    lines.push(
      '',
      `### ${group}`,
      '',
      ...table(
        [
          'profile',
          'name',
          'environment',
          'AIS',
          'PIS',
          'VRP',
          'registration',
          'token auth',
          'operator supplies',
        ],
        members.map(profileRow),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
