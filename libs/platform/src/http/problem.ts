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
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
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

/** A problem document of the platform's shape (for refusals that are not thrown, e.g. by the HTTP parser). */
export function problemDocument(status: number, code: string, detail: string, errors: ErrorDetail[] = []): Problem {
  return problem(status, code, detail, errors);
}

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
    // Express's router refuses a path segment that is not valid percent-encoding ('%FF'); Nest
    // hands it over as a BadRequestException with that message only.
    if (status === 400 && message.startsWith('Failed to decode param')) {
      return problem(400, 'malformed_path', 'A path segment is not valid percent-encoded UTF-8', [{ field: 'path', message }]);
    }
    // Body-parser failures (malformed JSON) arrive as 400 HttpExceptions.
    return problem(status, NEST_CODES[status] ?? `http_${status}`, message);
  }
  return bodyReadProblem(error) ?? problem(500, 'internal_error', 'An unexpected error occurred; it has been logged');
}

/**
 * Errors of the body parsers (body-parser's `type`s, raw-body's and zlib's), raised before any
 * handler runs: each is the client's doing and names what is wrong with the request. Only
 * `stream.encoding.set` and `stream.not.readable` (a parser misused by our code) stay a 500.
 */
function bodyReadProblem(error: unknown): Problem | null {
  if (!error || typeof error !== 'object') return null;
  const e = error as { status?: unknown; statusCode?: unknown; type?: unknown; code?: unknown; limit?: unknown; charset?: unknown; encoding?: unknown; expose?: unknown };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined || status < 400 || status >= 500) return null;
  const only = (code: string, detail: string, field: string, message: string, at = status) => problem(at, code, detail, [{ field, message }]);
  switch (e.type) {
    case 'entity.parse.failed':
      return only('malformed_json', 'The request body is not valid JSON', 'body', 'malformed JSON');
    case 'entity.too.large':
      return only('payload_too_large', 'The request body is too large', 'body', typeof e.limit === 'number' ? `larger than ${e.limit} bytes` : 'too large', 413);
    case 'encoding.unsupported':
      return only('unsupported_content_encoding', `Content-Encoding "${String(e.encoding ?? '')}" is not supported`, 'Content-Encoding', 'identity, gzip, deflate or br', 415);
    case 'charset.unsupported':
      return only('unsupported_charset', `charset "${String(e.charset ?? '')}" is not supported`, 'Content-Type', 'unsupported charset (use utf-8)', 415);
    case 'entity.verify.failed':
      return only('body_rejected', 'The request body was refused', 'body', 'refused');
    case 'request.aborted':
      return only('request_aborted', 'The request body ended before its announced length', 'body', 'aborted by the client', 400);
    case 'request.size.invalid':
      return only('content_length_mismatch', 'The request body does not have the length its Content-Length announces', 'Content-Length', 'does not match the body', 400);
    case 'parameters.too.many':
      return only('too_many_parameters', 'The request body has too many parameters', 'body', 'too many parameters', 413);
  }
  // zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR…) on a body that is not what its Content-Encoding says.
  if (typeof e.code === 'string' && e.code.startsWith('Z_')) {
    return only('malformed_content_encoding', 'The request body is not valid for its Content-Encoding', 'Content-Encoding', 'the body could not be decoded', 400);
  }
  if (e.expose === true) return only(NEST_CODES[status] ?? `http_${status}`, 'The request could not be read', 'body', 'could not be read');
  return null;
}
