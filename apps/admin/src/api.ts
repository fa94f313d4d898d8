/** GraphQL over fetch with the session's API key; errors become ApiError with the server's words. */

export interface FieldError {
  field?: string;
  message: string;
  rule?: string;
}

export type ErrorKind = 'network' | 'unauthenticated' | 'forbidden' | 'validation' | 'not_found' | 'conflict' | 'business' | 'unavailable' | 'server';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind,
    readonly code: string | null = null,
    readonly status: number | null = null,
    readonly errors: FieldError[] = [],
    /** For `unavailable`: the GraphQL field the server does not know. */
    readonly missingField: string | null = null,
  ) {
    super(message);
  }
}

function kindOf(status: number | null, code: string | null): ErrorKind {
  if (status === 401 || code === 'unauthenticated') return 'unauthenticated';
  if (status === 403 || code === 'forbidden') return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 422) return 'business';
  if (status === 400) return 'validation';
  return 'server';
}

interface GraphQLErrorShape {
  message: string;
  path?: string[];
  extensions?: { status?: number; code?: string; detail?: string; errors?: FieldError[] };
}

/** Maps a GraphQL error (problem extensions, validation) to an ApiError. */
export function toApiError(error: GraphQLErrorShape, httpStatus: number | null): ApiError {
  const ext = error.extensions ?? {};
  const unknownField = /Cannot query field "([^"]+)" on type "(Query|Mutation)"/.exec(error.message);
  if (unknownField) {
    return new ApiError(`Cette API n'existe pas encore sur ce serveur (champ GraphQL « ${unknownField[1]} » absent).`, 'unavailable', ext.code ?? null, httpStatus, [], unknownField[1]);
  }
  const status = typeof ext.status === 'number' ? ext.status : ext.code === 'GRAPHQL_VALIDATION_FAILED' || ext.code === 'BAD_USER_INPUT' ? 400 : httpStatus && httpStatus >= 400 ? httpStatus : null;
  const code = ext.code ?? null;
  return new ApiError(ext.detail ?? error.message, kindOf(status, code), code, status, Array.isArray(ext.errors) ? ext.errors : []);
}

/** An application/problem+json body (RFC 9457), e.g. from a REST route or a pre-routing failure. */
export function fromProblem(problem: { detail?: string; title?: string; status?: number; code?: string; errors?: FieldError[] }, httpStatus: number): ApiError {
  const status = problem.status ?? httpStatus;
  return new ApiError(problem.detail ?? problem.title ?? `HTTP ${status}`, kindOf(status, problem.code ?? null), problem.code ?? null, status, problem.errors ?? []);
}

export interface RequestOptions {
  /** Idempotency-Key for mutations: a retried click has one effect. */
  idempotencyKey?: string;
  /** X-Reason: why (kept in the event metadata). */
  reason?: string;
  signal?: AbortSignal;
}

export async function graphql<T>(apiKey: string, query: string, variables: Record<string, unknown> = {}, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json', 'X-API-Key': apiKey };
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  if (options.reason) headers['X-Reason'] = encodeURIComponent(options.reason);
  let response: Response;
  try {
    response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal: options.signal, credentials: 'omit' });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError('Le serveur est injoignable. Vérifiez la connexion puis réessayez.', 'network');
  }
  const type = response.headers.get('content-type') ?? '';
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`Réponse illisible du serveur (HTTP ${response.status}).`, 'server', null, response.status);
  }
  if (type.includes('application/problem+json')) throw fromProblem(body as never, response.status);
  const { data, errors } = body as { data?: T; errors?: GraphQLErrorShape[] };
  if (errors && errors.length > 0) throw toApiError(errors[0], response.status);
  if (!response.ok || data === undefined || data === null) throw new ApiError(`Erreur du serveur (HTTP ${response.status}).`, 'server', null, response.status);
  return data;
}

/** A fresh idempotency key per user action. */
export function newKey(): string {
  return crypto.randomUUID();
}

/** GET on a REST route with the session key (only where the GraphQL twin cannot serve; see events.tsx). */
export async function restGet<T>(apiKey: string, path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json', 'X-API-Key': apiKey }, signal, credentials: 'omit' });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError('Le serveur est injoignable. Vérifiez la connexion puis réessayez.', 'network');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) throw fromProblem((body ?? {}) as never, response.status);
  return body as T;
}
