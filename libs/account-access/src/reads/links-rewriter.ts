import { AISP_RESOURCE_SEGMENTS } from './aisp-endpoints';

const LINK_NAMES = ['Self', 'First', 'Prev', 'Next', 'Last'] as const;
const RESOURCE = new RegExp(`/(?:${AISP_RESOURCE_SEGMENTS.join('|')})(?:/|$)`);

/**
 * Rewrites one bank link to the connector: the path after the bank's API base becomes
 * `{connectorBaseUrl}/v1/aisp{path}` with the bank's query string kept, so a caller pages through
 * the connector. Banks send links on another host or prefix than their API base (and some send
 * http links or relative ones): the host is ignored, and when the API base path is not a prefix
 * the first AISP resource segment marks where the connector path starts. A link that names no
 * AISP resource is returned unchanged.
 */
export function rewriteLink(link: string, bankBaseUrl: string, connectorBaseUrl: string): string {
  let url: URL;
  try {
    url = new URL(link, `${bankBaseUrl}/`);
  } catch {
    return link;
  }
  const basePath = new URL(bankBaseUrl).pathname.replace(/\/+$/, '');
  let rest: string | null = null;
  if (url.pathname === basePath || url.pathname.startsWith(`${basePath}/`)) {
    rest = url.pathname.slice(basePath.length);
  }
  if (rest === null || !RESOURCE.test(rest)) {
    const match = RESOURCE.exec(url.pathname);
    rest = match ? url.pathname.slice(match.index) : null;
  }
  if (rest === null) return link;
  return `${connectorBaseUrl.replace(/\/+$/, '')}/v1/aisp${rest}${url.search}`;
}

/** The OB body with its top-level Links rewritten (a copy; other members untouched). */
export function rewriteLinks(
  body: unknown,
  bankBaseUrl: string,
  connectorBaseUrl: string,
): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const record = body as Record<string, unknown>;
  const links = record.Links;
  if (links === null || typeof links !== 'object' || Array.isArray(links)) return body;
  const rewritten: Record<string, unknown> = { ...(links as Record<string, unknown>) };
  for (const name of LINK_NAMES) {
    const value = rewritten[name];
    if (typeof value === 'string')
      rewritten[name] = rewriteLink(value, bankBaseUrl, connectorBaseUrl);
  }
  return { ...record, Links: rewritten };
}
