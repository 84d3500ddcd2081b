import {
  ERROR_CATALOGUE,
  ErrorArea,
  ErrorCatalogueEntry,
} from '../libs/common/src/errors/error-catalogue';
import { PROBLEM_TYPE_BASE, problemType } from '../libs/common/src/errors/problem';

/** Where the rendered catalogue lives, relative to the package root. */
export const ERROR_DOCS_PATH = 'docs/errors.md';

/** The fragment `problemType(code)` links to: the explicit anchor before each code's heading. */
export function errorAnchor(code: string): string {
  return problemType(code).slice(PROBLEM_TYPE_BASE.length);
}

/** The anchor GitHub gives a heading: lower case, punctuation but '-' and '_' dropped, spaces to '-'. */
export function headingAnchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}

function statusOf(entry: ErrorCatalogueEntry): string {
  return entry.statusText ?? entry.statuses.join(', ');
}

const EXAMPLE = {
  type: problemType('bank/timeout'),
  title: 'The bank did not answer in time',
  status: 504,
  detail: 'No answer from the bank to POST pisp.domestic-payment.create within 30000 ms.',
  code: 'bank/timeout',
  instance: '/v1/pisp/domestic-payments',
  requestId: '6f1c2a9e-4b7d-4e0a-9c51-2d8f3b7a1e64',
  bank: {
    status: null,
    endpoint: 'pisp.domestic-payment.create',
    method: 'POST',
    interactionId: '93bac548-d2de-4546-b106-880a5018460d',
    body: null,
  },
};

function renderArea(area: ErrorArea): string[] {
  const lines = [`## ${area.heading}`, '', area.intro, ''];
  for (const entry of area.entries) {
    lines.push(
      `<a id="${errorAnchor(entry.code)}"></a>`,
      '',
      `### \`${entry.code}\``,
      '',
      `**Status:** ${statusOf(entry)}. **Title:** ${entry.title}.`,
      '',
      entry.meaning,
      '',
      `**What to do:** ${entry.action}`,
      '',
    );
  }
  return lines;
}

/** docs/errors.md, rendered from ERROR_CATALOGUE (`npm run docs:errors`). */
export function renderErrorReference(areas: readonly ErrorArea[] = ERROR_CATALOGUE): string {
  const lines: string[] = [
    '# Error codes',
    '',
    '<!-- Generated from ERROR_CATALOGUE (libs/common/src/errors/error-catalogue.ts) by `npm run docs:errors`. Do not edit by hand. -->',
    '',
    'Every error the connector answers is an RFC 9457 problem document',
    '(`Content-Type: application/problem+json`). Its `code` is stable and part of the public',
    'contract: branch on `code`, never on `title` or `detail`. Its `type` is this page with the',
    "code's anchor, e.g. `" + problemType('bank/timeout') + '`.',
    '',
    '| Member      | Meaning                                                                                |',
    '| ----------- | -------------------------------------------------------------------------------------- |',
    '| `type`      | A link to the code below on this page                                                  |',
    '| `title`     | A short summary, the same for every occurrence of the code                             |',
    '| `status`    | The HTTP status                                                                        |',
    '| `detail`    | This occurrence explained (never secrets or personal data)                             |',
    '| `code`      | The stable code, `area/name`                                                           |',
    '| `instance`  | The request path                                                                       |',
    '| `requestId` | The `x-request-id` of the request: quote it when reporting a problem                   |',
    '| `errors`    | For invalid input: `[{ field, message }]`, one per refused field                       |',
    '| `bank`      | For a failed bank call: `{ status, endpoint, method, interactionId, body }` (its body) |',
    '',
    'Some codes add members of their own (named in their entry). A `Retry-After` header says when',
    'retrying is useful. For example:',
    '',
    '```json',
    JSON.stringify(EXAMPLE, null, 2),
    '```',
    '',
    'Creating calls that reach a bank (consents, payments, registrations) take an `Idempotency-Key`',
    'header: retrying with the same key and body is always safe and never acts twice.',
    '',
    '## Contents',
    '',
    ...areas.map(
      (area) =>
        `- [${area.heading}](#${headingAnchor(area.heading)}) (${area.entries.length} codes)`,
    ),
    '',
  ];
  for (const area of areas) lines.push(...renderArea(area));
  return lines.join('\n').replace(/\n+$/, '\n');
}
