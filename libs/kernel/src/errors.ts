/**
 * Errors the domain and the platform raise. Each carries a stable machine code; the API maps
 * the class to an HTTP status and renders an RFC 9457 problem document from it.
 */
export interface ErrorDetail {
  /** Dotted path of the offending input field, when one field is to blame. */
  field?: string;
  /** Rule ID of ../shared/domain/RULES.md (e.g. 'SUB-04') that the input breaks. */
  rule?: string;
  message: string;
}

export abstract class PlatformError extends Error {
  abstract readonly status: number;
  constructor(
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command is well-formed but breaks a business rule (HTTP 422). */
export class DomainError extends PlatformError {
  readonly status = 422;
  constructor(code: string, message: string, readonly rule?: string, readonly field?: string) {
    super(code, message, [{ field, rule, message }]);
  }
}

/** The input is malformed (HTTP 400). */
export class ValidationError extends PlatformError {
  readonly status = 400;
}

/** The addressed resource does not exist (HTTP 404). */
export class NotFoundError extends PlatformError {
  readonly status = 404;
}

/** The state moved on under the caller: optimistic concurrency or a duplicate (HTTP 409). */
export class ConflictError extends PlatformError {
  readonly status = 409;
}

/** Configuration is missing or wrong; raised at start-up, never per request. */
export class ConfigurationError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigurationError';
  }
}
