import { createHash, type X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** The client certificate presented on this request's TLS connection, if any. */
export function peerCertificate(req: IncomingMessage): X509Certificate | undefined {
  const socket = req.socket as TLSSocket;
  if (typeof socket.getPeerX509Certificate !== 'function') return undefined;
  return socket.getPeerX509Certificate() ?? undefined;
}

/** True only when a client certificate was presented and chains to the test CA. */
export function isMtlsAuthorized(req: IncomingMessage): boolean {
  const socket = req.socket as TLSSocket;
  return socket.authorized === true && peerCertificate(req) !== undefined;
}

/** `x5t#S256` confirmation thumbprint (RFC 8705) of a certificate. */
export function certificateThumbprint(cert: X509Certificate): string {
  return createHash('sha256').update(cert.raw).digest('base64url');
}
