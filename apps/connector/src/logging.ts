import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { REQUEST_ID_HEADER } from '@obc/common';
import { ConnectorConfig } from '@obc/config';

/**
 * Structured JSON logs. Request lines carry the request id and the route, never headers that
 * hold credentials, never bodies (bodies carry personal data and tokens).
 */
export function loggerOptions(config: ConnectorConfig): Params {
  return {
    pinoHttp: {
      level: config.log.level,
      genReqId: (req: IncomingMessage) => String(req.headers[REQUEST_ID_HEADER] ?? ''),
      customProps: (req: IncomingMessage) => ({ requestId: req.headers[REQUEST_ID_HEADER] }),
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({
          method: req.method,
          url: String(req.url).split('?')[0],
        }),
        res: (res: ServerResponse & { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      redact: { paths: ['req.headers', 'res.headers'], remove: true },
      autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
      messageKey: 'msg',
    },
  };
}
