import type { IncomingHttpHeaders } from 'node:http';
import { ValidationError } from '@oksio/kernel';

/**
 * The request headers the platform reads as text, in one place: each reader refuses a malformed
 * value with a 400 naming the header, for REST and GraphQL alike (both go through the same request).
 */

type WithHeaders = { headers: IncomingHttpHeaders };

/** Control characters (C0, DEL, C1) would end up in event metadata and logs; PostgreSQL refuses NUL. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

function invalidHeader(name: string, message: string): ValidationError {
  return new ValidationError('invalid_header', `${name} ${message}`, [{ field: name, message }]);
}

/** A header's text, or null when absent or empty (Node joins repeated custom headers with ', '). */
export function headerText(request: WithHeaders, name: string): string | null {
  const value = request.headers[name.toLowerCase()];
  const text = Array.isArray(value) ? value.join(', ') : value;
  return typeof text === 'string' && text !== '' ? text : null;
}

/**
 * A header that carries free text percent-encoded (HTTP header values are Latin-1 at best):
 * decoded, bounded and free of control characters; `%`, `%E9` alone or an invalid UTF-8 sequence
 * is a 400 naming the header (decodeURIComponent throws a URIError on them — a 500 before).
 */
export function percentEncodedHeader(request: WithHeaders, name: string, maxLength: number): string | null {
  const raw = headerText(request, name);
  if (raw === null) return null;
  let text: string;
  try {
    text = decodeURIComponent(raw);
  } catch {
    throw invalidHeader(name, 'is not valid percent-encoded UTF-8 (encode it with encodeURIComponent)');
  }
  if (text.length > maxLength) throw invalidHeader(name, `is longer than ${maxLength} characters`);
  if (CONTROL_CHARACTER.test(text)) throw invalidHeader(name, 'contains control characters');
  return text;
}

/** Upper bound of X-Reason once decoded. */
export const REASON_MAX_LENGTH = 1000;
/**
 * X-Correlation-Id is an opaque token by design (issue 18 item 7): letters, digits and `._:-`, at
 * most 128 — a UUID, a ULID, `crm:ticket-4711`. It is kept in clear in every event's metadata to
 * follow a flow across streams, so it must not be able to carry an e-mail address or a name.
 */
export const CORRELATION_ID_MAX_LENGTH = 128;
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** X-Reason: why a person issued the command, percent-encoded (e.g. `Appel%20client`). */
export function reasonHeader(request: WithHeaders): string | null {
  return percentEncodedHeader(request, 'X-Reason', REASON_MAX_LENGTH);
}

/** X-Correlation-Id: the caller's opaque identifier of the business flow (no percent-encoding: nothing to encode). */
export function correlationIdHeader(request: WithHeaders): string | null {
  const raw = headerText(request, 'X-Correlation-Id');
  if (raw === null) return null;
  if (!CORRELATION_ID.test(raw)) {
    throw invalidHeader('X-Correlation-Id', `must be an opaque token: 1–${CORRELATION_ID_MAX_LENGTH} letters, digits, ".", "_", ":" or "-" (no personal data such as an e-mail address)`);
  }
  return raw;
}
