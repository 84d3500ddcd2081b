import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPackageRoot } from '@obc/config';
import { catalogueEntries, ERROR_CATALOGUE } from '../libs/common/src/errors/error-catalogue';
import { ERROR_DOCS_PATH, errorAnchor, headingAnchor, renderErrorReference } from './error-docs';
import { PROBLEM_TYPE_BASE, problemType } from '../libs/common/src/errors/problem';
import { scanProblemCodes, type ProblemCodeScan } from './error-code-scan';

describe('error catalogue (docs/errors.md)', () => {
  it('docs/errors.md matches ERROR_CATALOGUE', () => {
    let committed = '';
    try {
      committed = readFileSync(join(findPackageRoot(), ERROR_DOCS_PATH), 'utf8');
    } catch {
      // reported below as drift
    }
    if (committed !== renderErrorReference()) {
      throw new Error(
        'docs/errors.md is out of date with ERROR_CATALOGUE (libs/common/src/errors/error-catalogue.ts): run npm run docs:errors (it builds, then regenerates the file) and commit the result',
      );
    }
  });

  it('gives each code one entry and an anchor that is the fragment of its problem type', () => {
    const entries = catalogueEntries();
    const codes = entries.map((e) => e.code);
    expect(codes.filter((c, i) => codes.indexOf(c) !== i)).toEqual([]);
    const anchors = entries.map((e) => errorAnchor(e.code));
    expect(anchors.filter((a, i) => anchors.indexOf(a) !== i)).toEqual([]);
    const areaAnchors = ERROR_CATALOGUE.map((a) => headingAnchor(a.heading));
    expect(anchors.filter((a) => areaAnchors.includes(a))).toEqual([]);
    const doc = renderErrorReference();
    for (const entry of entries) {
      const anchor = errorAnchor(entry.code);
      expect(problemType(entry.code)).toBe(PROBLEM_TYPE_BASE + anchor);
      // GitHub keeps an explicit id as the fragment; the heading's own anchor would drop the '/'.
      expect(anchor).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(doc).toContain(`<a id="${anchor}"></a>\n\n### \`${entry.code}\`\n`);
      expect(entry.statuses.length > 0 || entry.statusText !== undefined).toBe(true);
      for (const text of [entry.title, entry.meaning, entry.action])
        expect(text.trim()).not.toBe('');
    }
    expect(errorAnchor('bank-profile/unsupported-by-version')).toBe(
      'bank-profile-unsupported-by-version',
    );
  });

  it('renders an area per group with its codes, status, meaning and what to do', () => {
    const doc = renderErrorReference([
      {
        id: 'zeta',
        heading: 'Zeta things',
        intro: 'About zeta.',
        entries: [
          {
            code: 'zeta/went_wrong',
            statuses: [409, 422],
            title: 'It went wrong',
            meaning: 'Something about zeta.',
            action: 'Retry with the same Idempotency-Key.',
          },
        ],
      },
    ]);
    expect(doc).toContain('- [Zeta things](#zeta-things) (1 codes)');
    expect(doc).toContain(
      '## Zeta things\n\nAbout zeta.\n\n<a id="zeta-went-wrong"></a>\n\n### `zeta/went_wrong`\n\n' +
        '**Status:** 409, 422. **Title:** It went wrong.\n\nSomething about zeta.\n\n' +
        '**What to do:** Retry with the same Idempotency-Key.\n',
    );
    expect(doc).toContain('"type": "' + problemType('bank/timeout') + '"');
  });

  describe('completeness against the sources', () => {
    let scan: ProblemCodeScan;
    beforeAll(() => {
      scan = scanProblemCodes(findPackageRoot());
    }, 180_000);

    it('reduces every problem code in libs/ and apps/connector to string literals', () => {
      if (scan.unresolved.length > 0) {
        throw new Error(
          'These problem codes cannot be read from the source (pass a string literal, a const, or a parameter typed as a union of literals; a site that re-raises a stored code goes in FORWARDING_SITES of scripts/error-code-scan.ts):\n' +
            scan.unresolved.join('\n'),
        );
      }
    });

    it('finds the codes thrown through subclasses, helpers, defaults and the HTTP layer', () => {
      for (const code of [
        'request/validation-failed',
        'bank/timeout',
        'bank/queue-full',
        'idempotency/in-progress',
        'consent/expired',
        'database/unavailable',
        'bank-profile/unsupported-by-version',
        'obwac-certificate/not-found',
        'payment/unknown-currency',
        'request/uri-too-long',
        'internal/error',
      ])
        expect(scan.codes.has(code)).toBe(true);
      expect([...scan.codes.get('bank/timeout')!.statuses]).toEqual([504]);
    });

    it('catalogues every code the connector answers, and only those', () => {
      const catalogued = new Set(catalogueEntries().map((e) => e.code));
      const missing = [...scan.codes.values()]
        .filter((found) => !catalogued.has(found.code))
        .map((found) => `${found.code} (${found.sites.join(', ')})`);
      const unused = [...catalogued].filter((code) => !scan.codes.has(code));
      const problems: string[] = [];
      if (missing.length > 0)
        problems.push(
          `Problem codes missing from ERROR_CATALOGUE (libs/common/src/errors/error-catalogue.ts); add an entry for each, then run npm run docs:errors:\n  ${missing.join('\n  ')}`,
        );
      if (unused.length > 0)
        problems.push(
          `ERROR_CATALOGUE entries no longer thrown anywhere; remove them (then npm run docs:errors):\n  ${unused.join('\n  ')}`,
        );
      if (problems.length > 0) throw new Error(problems.join('\n'));
    });

    it("lists the statuses each code's throw sites give it", () => {
      const wrong: string[] = [];
      for (const entry of catalogueEntries()) {
        const found = scan.codes.get(entry.code);
        if (!found || found.statuses.size === 0) continue;
        const thrown = [...found.statuses].sort((a, b) => a - b).join(', ');
        const listed = [...entry.statuses].sort((a, b) => a - b).join(', ');
        if (thrown !== listed) wrong.push(`${entry.code}: catalogue ${listed}, thrown ${thrown}`);
      }
      expect(wrong).toEqual([]);
    });
  });
});
