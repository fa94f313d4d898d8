import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiKeyRegistry } from './api-keys';
import { allowedRoles, authenticate, type AuthenticatedRequest } from './auth';
import { toProblem } from './problem';
import { ProblemFilter } from './problem.filter';

/** Where GraphQL is served: its clients read a refusal in `errors[].extensions`, not as problem+json. */
const GRAPHQL_PATH = '/graphql';

/**
 * Answers an error raised before Nest routes the request (authentication of a body, the body
 * parsers): problem+json through the ProblemFilter, or for GraphQL the same problem in a GraphQL
 * error's extensions, as the filter gives every other GraphQL refusal.
 */
function answer(error: unknown, request: Request, response: Response): void {
  if (request.path !== GRAPHQL_PATH) {
    new ProblemFilter().catch(error, { getType: () => 'http', switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }) } as never);
    return;
  }
  const problem = { ...toProblem(error), instance: request.originalUrl };
  response.status(problem.status).type('application/json').send(JSON.stringify({ errors: [{ message: problem.detail, extensions: problem }] }));
}

/** Errors of the body parsers (malformed JSON, too large, unknown encoding or charset…) → 4xx naming what is wrong. */
export function answerBodyErrors(): ErrorRequestHandler {
  return (error: unknown, request: Request, response: Response, next: NextFunction) => {
    if (!error) return next();
    answer(error, request, response);
  };
}

/** RFC 9112 §6.3: a request has a body when it says Transfer-Encoding, or a non-zero Content-Length. */
function announcesBody(request: Request): boolean {
  if (request.headers['transfer-encoding'] !== undefined) return true;
  const length = request.headers['content-length'];
  return length !== undefined && length.trim() !== '0';
}

/**
 * Mounted before every body parser: a request that carries a body must present a valid API key
 * before one byte of it is read. Without it, 20 anonymous 19 MB uploads were parsed into memory
 * only to be answered 401. The answer closes the connection rather than drain the body. Requests
 * without a body are left to the guard (health is public; GraphQL's GET introspection has no body).
 * Roles are still the guard's: it runs after parsing, with the route known.
 */
export function authenticateBeforeBody(keys: ApiKeyRegistry): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    if (!announcesBody(request)) return next();
    try {
      (request as AuthenticatedRequest).principal = authenticate(keys, request);
      return next();
    } catch (error) {
      response.setHeader('Connection', 'close');
      answer(error, request, response);
    }
  };
}

/**
 * A body parser of one route with a larger limit than the application's (the CDR import), run only
 * for a caller whose role the route admits: nobody else makes the server read that much. Others
 * are passed on unparsed, and the guard refuses them (403).
 */
export function parserForAllowedRoles(controller: Function, handler: Function, parser: RequestHandler): RequestHandler {
  const roles = allowedRoles(controller, handler);
  return (request: Request, response: Response, next: NextFunction) => {
    const principal = (request as AuthenticatedRequest).principal;
    if (!principal || !roles.includes(principal.role)) return next();
    return parser(request, response, next);
  };
}
