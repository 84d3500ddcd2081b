import type { IncomingMessage } from 'node:http';

/** The RFC 6750 bearer token of a request, if any. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return m ? m[1] : undefined;
}
