import { once } from 'node:events';
import { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';
import { TestPki } from './test-pki';

/** What the test server saw of one request. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** CN of the client certificate presented, if any. */
  clientCn?: string;
  authorized: boolean;
  remotePort?: number;
}

export type TestHandler = (req: RecordedRequest, res: ServerResponse) => unknown;

export interface LocalHttpsServer {
  url: string;
  requests: RecordedRequest[];
  setHandler(handler: TestHandler): void;
  close(): Promise<void>;
}

/**
 * HTTPS on 127.0.0.1 with a random port, asking for (not requiring) a client certificate so
 * tests can assert which identity was presented. Test-only.
 */
export async function startLocalHttpsServer(
  pki: TestPki,
  requireClientCert = false,
): Promise<LocalHttpsServer> {
  let handler: TestHandler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  };
  const requests: RecordedRequest[] = [];
  const server: Server = createServer(
    {
      cert: pki.server.certificatePem,
      key: pki.server.privateKeyPem,
      ca: pki.caPem,
      requestCert: true,
      rejectUnauthorized: requireClientCert,
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const socket = req.socket as TLSSocket;
        const peer = socket.getPeerCertificate();
        const cn = peer && peer.subject ? peer.subject.CN : undefined;
        const recorded: RecordedRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          clientCn: Array.isArray(cn) ? cn[0] : cn,
          authorized: socket.authorized,
          remotePort: socket.remotePort,
        };
        requests.push(recorded);
        Promise.resolve(handler(recorded, res)).catch((e: unknown) => {
          res.writeHead(500).end(String(e));
        });
      });
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    setHandler: (h) => {
      handler = h;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
