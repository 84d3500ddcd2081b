/** The mTLS identity a call is made with: selects (and keys) the keep-alive agent. */
export interface BankTransport {
  /** Stable id of the transport certificate (e.g. the software statement's transport cert id). */
  id: string;
  certificatePem: string;
  privateKeyPem: string;
}

export type BankHttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Objects are JSON-serialised once; strings and Buffers are sent byte for byte. */
export type BankRequestBody = string | Buffer | Record<string, unknown> | unknown[];

export interface BankRequest {
  profileId: string;
  /** Logical name for logs and metrics, e.g. `dcr.register`, `token`, `discovery`. */
  endpoint: string;
  method: BankHttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: BankRequestBody;
  transport?: BankTransport;
  /** Extra CA certificates (PEM, may hold several) trusted for this bank besides the defaults. */
  trustedCaPem?: string;
  financialId?: string;
  interactionId?: string;
  timeoutMs?: number;
  /** Statuses that count as success; default: any 2xx. */
  expectStatus?: number[];
}

export interface BankResponse<T = unknown> {
  status: number;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** Parsed JSON when the content type is JSON (null when empty), otherwise the text. */
  data: T;
  rawBody: string;
  /** The x-fapi-interaction-id sent to the bank. */
  interactionId: string;
  /** The exact bytes sent (after serialising an object body), for audit and signing checks. */
  sentBody?: string | Buffer;
}
