/**
 * What went wrong, in the connector's own vocabulary. Services throw DomainErrors; the one
 * global filter (ProblemDetailsFilter) maps the kind to an HTTP status and renders RFC 9457
 * problem+json. Services never pick HTTP status codes themselves.
 */
export type ErrorKind =
  | 'validation' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not-found' // 404
  | 'conflict' // 409
  | 'gone' // 410
  | 'unprocessable' // 422
  | 'too-many-requests' // 429
  | 'internal' // 500
  | 'not-implemented' // 501
  | 'bank-failure' // 502
  | 'unavailable' // 503
  | 'bank-timeout'; // 504

export interface FieldError {
  field: string;
  message: string;
}

/** The `bank` member of a problem: what the bank answered, its OB error body as sent. */
export interface BankCallDetails {
  status: number | null;
  endpoint: string;
  method: string;
  interactionId: string;
  body: unknown;
}

export interface DomainErrorOptions {
  /** Longer human explanation; defaults to the message. */
  detail?: string;
  errors?: FieldError[];
  bank?: BankCallDetails;
  /** Extra problem members (kept small, never secrets). */
  extensions?: Record<string, unknown>;
  /** Sent as the `Retry-After` header (seconds): when the caller may usefully try again. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class DomainError extends Error {
  readonly detail: string;
  readonly errors?: FieldError[];
  readonly bank?: BankCallDetails;
  readonly extensions?: Record<string, unknown>;
  readonly retryAfterSeconds?: number;

  constructor(
    /** Stable, namespaced code, e.g. `consent/not-authorised`. Part of the public contract. */
    readonly code: string,
    readonly kind: ErrorKind,
    /** Short title: the same for every occurrence of this code. */
    readonly title: string,
    options: DomainErrorOptions = {},
  ) {
    super(
      options.detail ?? title,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = new.target.name;
    this.detail = options.detail ?? title;
    this.errors = options.errors;
    this.bank = options.bank;
    this.extensions = options.extensions;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export class NotFoundError extends DomainError {
  constructor(resource: string, id: string, code = `${resource}/not-found`) {
    super(code, 'not-found', `${resource} not found`, {
      detail: `No ${resource} with id '${id}'.`,
    });
  }
}

export class ValidationError extends DomainError {
  constructor(detail: string, errors: FieldError[] = [], code = 'request/validation-failed') {
    super(code, 'validation', 'The request is not valid', { detail, errors });
  }
}

/** A call to a bank failed: the bank answered with an error, or did not answer usefully. */
export class BankCallError extends DomainError {
  constructor(
    code: string,
    kind: Extract<
      ErrorKind,
      | 'bank-failure'
      | 'bank-timeout'
      | 'validation'
      | 'unprocessable'
      | 'conflict'
      | 'too-many-requests'
      | 'unavailable'
    >,
    title: string,
    bank: BankCallDetails,
    detail?: string,
    cause?: unknown,
    retryAfterSeconds?: number,
  ) {
    super(code, kind, title, { bank, detail, cause, retryAfterSeconds });
  }
}
