import { request } from 'node:https';
import { APP_LINK_HEADER } from '../oidc/create-provider';

export type Decision = 'approve' | 'deny';

export class HeadlessAuthorisationError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

interface Reply {
  status: number;
  location?: string;
  setCookies: string[];
}

const MAX_HOPS = 10;
/** oidc-provider's authorisation endpoint (its default route). */
const AUTHORISATION_PATH = '/auth';

/**
 * Plays the PSU's browser against this bank: GET the authorisation URL, follow redirects to the
 * consent page, press a button, and follow redirects until one leaves the bank (the client's
 * redirect_uri with the authorisation response). Tests and the demo use it instead of a browser.
 */
export class HeadlessAuthoriser {
  private readonly issuerOrigin: string;
  private readonly localOrigin: string;

  /**
   * `localUrl` is how this process reaches the bank (https://localhost:<port>); `appLinks` the
   * deep links of the bank's app (quirk authorisation.appLinks): an authUrl starting with one is
   * opened in the app, which sends its query to the authorisation endpoint.
   */
  constructor(
    issuer: string,
    localUrl: string,
    private readonly caPem: string,
    private readonly appLinks: string[] = [],
  ) {
    this.issuerOrigin = new URL(issuer).origin;
    this.localOrigin = new URL(localUrl).origin;
  }

  async authorise(authUrl: string, decision: Decision, accountIds: string[] = []): Promise<string> {
    const cookies = new Map<string, string>();
    const appLink = this.appLinks.find((link) => link && authUrl.startsWith(`${link}?`));
    let url = appLink
      ? `${this.localOrigin}${AUTHORISATION_PATH}${authUrl.slice(appLink.length)}`
      : this.toLocal(authUrl);
    if (!url) throw new HeadlessAuthorisationError('authUrl is not this bank’s authorisation URL');
    // The app's own call to the authorisation endpoint says which link opened it.
    let firstHeaders: Record<string, string> | undefined = appLink
      ? { [APP_LINK_HEADER]: appLink }
      : undefined;
    let pressed = false;
    for (let hop = 0; hop < MAX_HOPS; hop += 1) {
      const interaction = /^\/interaction\/([^/?#]+)$/.exec(new URL(url).pathname);
      let reply: Reply;
      if (interaction && !pressed) {
        const page = await this.send('GET', url, cookies);
        if (page.status !== 200)
          throw new HeadlessAuthorisationError(
            `the consent page answered ${page.status}`,
            page.status,
          );
        const body = new URLSearchParams();
        accountIds.forEach((id) => body.append('accountIds[]', id));
        reply = await this.send('POST', `${url}/${decision}`, cookies, body.toString());
        pressed = true;
      } else {
        reply = await this.send('GET', url, cookies, undefined, firstHeaders);
        firstHeaders = undefined;
      }
      if (reply.status < 300 || reply.status >= 400 || !reply.location)
        throw new HeadlessAuthorisationError(
          `the bank answered ${reply.status} instead of redirecting (${new URL(url).pathname})`,
          reply.status,
        );
      const next = new URL(reply.location, url).toString();
      const local = this.toLocal(next);
      if (!local) return next;
      url = local;
    }
    throw new HeadlessAuthorisationError('too many redirects inside the bank');
  }

  /** The same URL on the local origin, or undefined when it leaves the bank. */
  private toLocal(url: string): string | undefined {
    const u = new URL(url);
    if (u.origin !== this.issuerOrigin && u.origin !== this.localOrigin) return undefined;
    return `${this.localOrigin}${u.pathname}${u.search}`;
  }

  private send(
    method: 'GET' | 'POST',
    url: string,
    cookies: Map<string, string>,
    body?: string,
    extraHeaders: Record<string, string> = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (cookies.size)
      headers.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    return new Promise((resolve, reject) => {
      const req = request(url, { method, headers, ca: this.caPem, agent: false }, (res) => {
        res.resume();
        res.on('end', () => {
          const setCookies = res.headers['set-cookie'] ?? [];
          for (const c of setCookies) {
            const [pair] = c.split(';');
            const eq = pair.indexOf('=');
            if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
          }
          resolve({ status: res.statusCode ?? 0, location: res.headers.location, setCookies });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
