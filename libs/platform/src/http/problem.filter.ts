import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import type { Request, Response } from 'express';
import { toProblem, type Problem } from './problem';

/** Seconds a client should wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown: the server is stopping and terminated the connection
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '08007',
]);
const CONNECTION_MESSAGES =
  /Connection terminated|terminating connection|Connection refused|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|database system is (starting up|shutting down|in recovery mode)|connect ECONNREFUSED/i;

/**
 * True when the error means PostgreSQL cannot be reached (down, restarting, refusing connections),
 * as opposed to a query that failed: node-postgres socket errors and server shutdown codes,
 * possibly wrapped by TypeORM (`driverError`), in a `cause`, or in an AggregateError.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; driverError?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
  if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1) || isDatabaseUnavailable(e.driverError, depth + 1);
}

/**
 * Input PostgreSQL cannot take as text or as the typed value: NUL characters (22021), characters
 * not representable (22P05), malformed literals such as an id that is not a UUID (22P02). Reaching
 * the database with such a value is a validation gap, but the client's request is still what is
 * wrong: a 400, not a 500.
 */
const UNSTORABLE_INPUT_CODES = new Set(['22021', '22P05', '22P02']);

function isUnstorableInput(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  return [e.code, e.driverError?.code].some((code) => typeof code === 'string' && UNSTORABLE_INPUT_CODES.has(code));
}

function problemOf(error: unknown): Problem {
  if (isUnstorableInput(error)) {
    return {
      type: 'https://docs.oksio.invalid/problems/invalid_characters',
      title: 'Bad Request',
      status: 400,
      code: 'invalid_characters',
      detail: 'The request contains a value the platform cannot store (NUL or invalid characters, or a malformed identifier)',
      errors: [],
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      type: 'https://docs.oksio.invalid/problems/database_unavailable',
      title: 'Service Unavailable',
      status: 503,
      code: 'database_unavailable',
      detail: `The database is unreachable; retry in ${DATABASE_RETRY_AFTER_SECONDS} seconds (with the same Idempotency-Key for a command)`,
      errors: [],
    };
  }
  return toProblem(error);
}

/**
 * Renders every error as application/problem+json (REST) or a GraphQL error with the same
 * extensions. PostgreSQL being unreachable is a 503 with Retry-After, not a 500: the request may
 * be retried as it is once the database is back (the process recovers without a restart).
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost): unknown {
    const problem = problemOf(error);
    if (problem.status === 503) this.logger.warn(`database unavailable: ${error instanceof Error ? error.message : String(error)}`);
    else if (problem.status >= 500) this.logger.error(error instanceof Error ? error.stack : String(error));
    if (host.getType<string>() === 'graphql') {
      return new GraphQLError(problem.detail, { extensions: { ...problem } });
    }
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    if (response.headersSent) return undefined;
    if (problem.status === 503) response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    response
      .status(problem.status)
      .type('application/problem+json')
      .send(JSON.stringify({ ...problem, instance: request.originalUrl }));
    return undefined;
  }
}
