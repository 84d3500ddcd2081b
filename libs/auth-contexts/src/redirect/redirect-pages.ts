import { createHash } from 'node:crypto';

/** Paths the landing pages use (relative: the page is served by the connector itself). */
export const REDIRECT_DELEGATE_PATH = '/v1/auth/redirect-delegate';

const PARAMETERS = ['state', 'code', 'id_token', 'error', 'error_description', 'iss'];

/**
 * Reads the bank's parameters from the fragment (never sent to a server by the browser), clears
 * the fragment from the address bar and history, posts the parameters to the delegate, and shows
 * the outcome as text only (never as markup).
 */
const FRAGMENT_SCRIPT = `(function () {
  var status = document.getElementById('status');
  var result = document.getElementById('result');
  var hash = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  history.replaceState(null, '', window.location.pathname);
  var body = { response_mode: 'fragment' };
  ${JSON.stringify(PARAMETERS)}.forEach(function (name) {
    var value = hash.get(name);
    if (value !== null) body[name] = value;
  });
  if (!body.state) {
    status.textContent = 'Not authorised';
    result.textContent = 'The address carries no authorisation response.';
    return;
  }
  fetch(${JSON.stringify(REDIRECT_DELEGATE_PATH)}, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    credentials: 'omit',
  })
    .then(function (res) {
      return res.json().then(function (doc) { return { ok: res.ok, doc: doc }; });
    })
    .then(function (outcome) {
      if (outcome.ok) {
        status.textContent = 'Authorised';
        result.textContent = outcome.doc.consentType + ' consent ' + outcome.doc.consentId;
      } else {
        status.textContent = 'Not authorised';
        result.textContent = outcome.doc.code + ': ' + outcome.doc.detail;
      }
    })
    .catch(function () {
      status.textContent = 'Not authorised';
      result.textContent = 'The connector could not be reached.';
    });
})();`;

const STYLE =
  'body{font-family:system-ui,sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem}';

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

/** Nothing but the inline style and script (by hash) and calls to the connector itself. */
const BASE_POLICY = [
  "default-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  `style-src ${cspHash(STYLE)}`,
];

export interface HtmlPage {
  html: string;
  /** Response headers: CSP, no caching, no referrer (the query may hold a code). */
  headers: Record<string, string>;
}

function headers(policy: string[]): Record<string, string> {
  return {
    'Content-Security-Policy': policy.join('; '),
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, status: string, result: string, script = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1 id="status">${escapeHtml(status)}</h1>
<p id="result">${escapeHtml(result)}</p>
${script ? `<script>${script}</script>\n` : ''}</body>
</html>
`;
}

/** The fragment-mode landing page: its script forwards the fragment to the delegate. */
export function fragmentLandingPage(): HtmlPage {
  return {
    html: page('Authorisation', 'Completing authorisation…', '', FRAGMENT_SCRIPT),
    headers: headers([
      ...BASE_POLICY,
      `script-src ${cspHash(FRAGMENT_SCRIPT)}`,
      "connect-src 'self'",
    ]),
  };
}

/** The query-mode landing page's outcome (no script at all). */
export function resultPage(
  outcome:
    | { ok: true; consentType: string; consentId: string }
    | { ok: false; code: string; detail: string },
): HtmlPage {
  const html = outcome.ok
    ? page('Authorised', 'Authorised', `${outcome.consentType} consent ${outcome.consentId}`)
    : page('Not authorised', 'Not authorised', `${outcome.code}: ${outcome.detail}`);
  return { html, headers: headers(BASE_POLICY) };
}
