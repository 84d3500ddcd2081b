import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

export interface SsmTestServerRequest {
  target: string | undefined;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

export interface SsmTestServer {
  /** e.g. `http://127.0.0.1:54321`: use as AWS_SSM_ENDPOINT. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: SsmTestServerRequest[];
  /** Adds or replaces a parameter. */
  setParameter(name: string, value: string): void;
  close(): Promise<void>;
}

/** Credentials for the SDK client talking to the test server (it does not check signatures). */
export const SSM_TEST_CREDENTIALS = {
  accessKeyId: 'AKIDTESTTESTTEST',
  secretAccessKey: 'test-secret-access-key',
};

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A local stand-in for AWS SSM Parameter Store speaking the JSON 1.1 protocol the real SDK uses
 * (`POST /`, `x-amz-target: AmazonSSM.GetParameter`). Only GetParameter is implemented.
 * Listens on 127.0.0.1 on a random port.
 */
export async function startSsmTestServer(
  parameters: Record<string, string> = {},
): Promise<SsmTestServer> {
  const store = new Map(Object.entries(parameters));
  const requests: SsmTestServerRequest[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      let body: Record<string, unknown>;
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        return send(res, 400, { __type: 'SerializationException', message: 'body is not JSON' });
      }
      const target = req.headers['x-amz-target'] as string | undefined;
      requests.push({ target, contentType: req.headers['content-type'], body });
      if (req.method !== 'POST' || target !== 'AmazonSSM.GetParameter') {
        return send(res, 400, {
          __type: 'UnknownOperationException',
          message: `unsupported operation ${String(target)}`,
        });
      }
      const name = String(body.Name);
      const value = store.get(name);
      if (value === undefined)
        return send(res, 400, {
          __type: 'ParameterNotFound',
          message: `Parameter ${name} not found.`,
        });
      return send(res, 200, {
        Parameter: {
          Name: name,
          Type: 'SecureString',
          Value: value,
          Version: 1,
          ARN: `arn:aws:ssm:eu-west-2:000000000000:parameter${name.startsWith('/') ? '' : '/'}${name}`,
          DataType: 'text',
        },
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setParameter: (name, value) => void store.set(name, value),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
