import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  Logger,
  Optional,
} from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { DomainError } from './domain.error';
import { ERROR_TRANSLATOR, type ErrorTranslator } from './error-translator';
import { PROBLEM_CONTENT_TYPE, ProblemDocument, STATUS_BY_KIND, problemType } from './problem';
import { REQUEST_ID_HEADER } from '../http/request-id';
import { FAPI_INTERACTION_ID_HEADER } from '../http/caller.decorator';

const CODE_BY_STATUS: Record<number, [string, string]> = {
  400: ['request/bad-request', 'Bad request'],
  401: ['auth/unauthenticated', 'Authentication required'],
  403: ['auth/forbidden', 'Forbidden'],
  404: ['request/route-not-found', 'Route not found'],
  405: ['request/method-not-allowed', 'Method not allowed'],
  406: ['request/not-acceptable', 'Not acceptable'],
  409: ['request/conflict', 'Conflict'],
  413: ['request/payload-too-large', 'Payload too large'],
  415: ['request/unsupported-media-type', 'Unsupported media type'],
  422: ['request/unprocessable', 'Unprocessable request'],
  429: ['request/too-many-requests', 'Too many requests'],
};

/** Body-parser failures arrive as plain errors with a `type` and `status`. */
interface BodyParserError {
  type: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
}

function isBodyParserError(e: unknown): e is BodyParserError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as BodyParserError).type === 'string' &&
    typeof ((e as BodyParserError).status ?? (e as BodyParserError).statusCode) === 'number'
  );
}

/**
 * The single place where errors become HTTP responses: RFC 9457 problem+json with a stable
 * `code`. Unknown errors are logged (without their payloads) and rendered as a bare 500.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  constructor(@Optional() @Inject(ERROR_TRANSLATOR) private readonly translate?: ErrorTranslator) {}

  catch(thrown: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    this.respond(thrown, ctx.getRequest<Request>(), ctx.getResponse<Response>());
  }

  /**
   * Renders an error as problem+json on Node's own request and response objects, so a request
   * served ahead of Express (the AISP read path) answers its errors byte for byte as the
   * filter does.
   */
  respond(
    thrown: unknown,
    req: IncomingMessage & { originalUrl?: string },
    res: ServerResponse,
  ): void {
    const exception = this.translated(thrown);
    const problem = this.toProblem(exception);
    const requestId = req.headers?.[REQUEST_ID_HEADER] as string | undefined;
    if (requestId) problem.requestId = requestId;
    problem.instance = (req.originalUrl ?? req.url)?.split('?')[0];
    if (problem.status >= 500 && !(exception instanceof DomainError)) {
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(`unhandled ${err.name}: ${err.message}`, err.stack);
    }
    if (res.headersSent) return;
    const retryAfter = exception instanceof DomainError ? exception.retryAfterSeconds : undefined;
    if (retryAfter !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0)
      res.setHeader('retry-after', String(Math.ceil(retryAfter)));
    // API.md: every response that involved a bank call carries the interaction id sent to it.
    if (problem.bank?.interactionId && !res.getHeader(FAPI_INTERACTION_ID_HEADER))
      res.setHeader(FAPI_INTERACTION_ID_HEADER, problem.bank.interactionId);
    const body = JSON.stringify(problem);
    res.statusCode = problem.status;
    res.setHeader('content-type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    res.setHeader('content-length', Buffer.byteLength(body));
    res.end(body);
  }

  /** A lower layer's error the translator recognises (database down...), logged once here. */
  private translated(exception: unknown): unknown {
    if (exception instanceof DomainError || !this.translate) return exception;
    const domain = this.translate(exception);
    if (!domain) return exception;
    const err = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.warn(`${domain.code}: ${err.name}: ${err.message}`);
    return domain;
  }

  toProblem(exception: unknown): ProblemDocument {
    if (exception instanceof DomainError) {
      const status = STATUS_BY_KIND[exception.kind];
      const doc: ProblemDocument = {
        type: problemType(exception.code),
        title: exception.title,
        status,
        detail: exception.detail,
        code: exception.code,
        ...(exception.extensions ?? {}),
      };
      if (exception.errors) doc.errors = exception.errors;
      if (exception.bank) doc.bank = exception.bank;
      return doc;
    }
    if (exception instanceof HttpException && isBodyParserError(exception.cause)) {
      return this.toProblem(exception.cause);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const [code, title] = CODE_BY_STATUS[status] ?? [
        status >= 500 ? 'internal/error' : 'request/error',
        'Error',
      ];
      const response = exception.getResponse();
      const detail =
        typeof response === 'string'
          ? response
          : typeof (response as { message?: unknown }).message === 'string'
            ? (response as { message: string }).message
            : exception.message;
      return { type: problemType(code), title, status, detail, code };
    }
    if (isBodyParserError(exception)) {
      const status = exception.status ?? exception.statusCode ?? 400;
      if (exception.type === 'entity.parse.failed') {
        return {
          type: problemType('request/malformed-body'),
          title: 'Malformed request body',
          status: 400,
          detail: 'The request body is not valid JSON.',
          code: 'request/malformed-body',
        };
      }
      const [code, title] = CODE_BY_STATUS[status] ?? ['request/bad-request', 'Bad request'];
      return {
        type: problemType(code),
        title,
        status,
        detail: `The request body could not be read (${exception.type}).`,
        code,
      };
    }
    return {
      type: problemType('internal/error'),
      title: 'Internal error',
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      detail: 'An unexpected error occurred. The request id identifies it in the logs.',
      code: 'internal/error',
    };
  }
}
