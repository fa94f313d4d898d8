import { HttpException } from '@nestjs/common';
import { PlatformError, type ErrorDetail } from '@oksio/kernel';
import { InvalidAppendError, WrongExpectedRevisionError } from '@oksio/event-store';

/** RFC 9457 problem document with the platform's stable error code and per-field details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  errors: ErrorDetail[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const NEST_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

function problem(status: number, code: string, detail: string, errors: ErrorDetail[] = []): Problem {
  return {
    type: `https://docs.oksio.invalid/problems/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    errors,
  };
}

/** The single mapping from anything thrown to a problem document (REST, GraphQL, idempotency). */
export function toProblem(error: unknown): Problem {
  if (error instanceof PlatformError) return problem(error.status, error.code, error.message, error.details);
  if (error instanceof WrongExpectedRevisionError) {
    return problem(409, 'concurrency_conflict', error.message, [{ field: 'expectedRevision', message: error.message }]);
  }
  if (error instanceof InvalidAppendError) return problem(400, 'invalid_append', error.message);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'object' && response && 'message' in response
        ? String((response as { message: unknown }).message)
        : error.message;
    // Body-parser failures (malformed JSON) arrive as 400 HttpExceptions.
    return problem(status, NEST_CODES[status] ?? `http_${status}`, message);
  }
  const status = (error as { status?: number; statusCode?: number })?.status ?? (error as { statusCode?: number })?.statusCode;
  if (status === 400 && (error as { type?: string }).type === 'entity.parse.failed') {
    return problem(400, 'malformed_json', 'The request body is not valid JSON', [{ field: 'body', message: 'malformed JSON' }]);
  }
  if (status === 413) return problem(413, 'payload_too_large', 'The request body is too large');
  return problem(500, 'internal_error', 'An unexpected error occurred; it has been logged');
}
