import { BankCallDetails, ErrorKind, FieldError } from './domain.error';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE =
  'https://github.com/uk-open-banking-connector/connector/blob/main/docs/errors.md#';

export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  gone: 410,
  unprocessable: 422,
  'too-many-requests': 429,
  internal: 500,
  'not-implemented': 501,
  'bank-failure': 502,
  unavailable: 503,
  'bank-timeout': 504,
};

/** RFC 9457 problem details, plus the connector's members. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  bank?: BankCallDetails;
  [extension: string]: unknown;
}

export function problemType(code: string): string {
  return PROBLEM_TYPE_BASE + code.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
}
