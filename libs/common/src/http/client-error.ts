import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, problemType } from '../errors/problem';

/** Errors of Node's HTTP parser, raised before any route, middleware or filter runs. */
const PARSER_PROBLEMS: Record<string, [number, string, string, string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'request/headers-too-large',
    'Request headers too large',
    'The request line and headers together exceed the size the server accepts.',
  ],
  HPE_URI_TOO_LONG: [414, 'request/uri-too-long', 'URI too long', 'The request URI is too long.'],
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    'request/timeout',
    'Request timeout',
    'The request was not received in full in time.',
  ],
};
const MALFORMED: [number, string, string, string] = [
  400,
  'request/malformed-http',
  'Malformed HTTP request',
  'The request is not well-formed HTTP.',
];

/**
 * Answers what Node's HTTP parser refuses (an overlong URL or header block, malformed HTTP)
 * with RFC 9457 problem+json instead of Node's bare status line, so every error a caller sees
 * carries a `code`. Sockets that can no longer be written are just closed.
 */
export function answerClientErrorsWithProblems(server: Pick<Server, 'on'>): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // As Node's default handler: nothing to answer on a reset socket or mid-response.
    const inResponse = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })
      ._httpMessage?.headersSent;
    if (error.code === 'ECONNRESET' || !socket.writable || inResponse) {
      socket.destroy();
      return;
    }
    const [status, code, title, detail] = PARSER_PROBLEMS[error.code ?? ''] ?? MALFORMED;
    const body = JSON.stringify({ type: problemType(code), title, status, detail, code });
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\n` +
        `content-type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\n` +
        'connection: close\r\n\r\n' +
        body,
    );
  });
}
