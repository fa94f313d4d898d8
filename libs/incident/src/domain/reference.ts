/**
 * INC-03: every ticket carries a unique reference the client quotes to follow the interruption up.
 * Format `INC-<year>-<6-digit sequence>`, e.g. `INC-2026-000123`. The application allocates it
 * (a per-year sequence in the database guarantees uniqueness across tickets — a single stream
 * cannot see the others); the decider checks its shape and year.
 */
const REFERENCE = /^INC-(\d{4})-(\d{6})$/;

export interface TicketReference {
  year: number;
  sequence: number;
}

export function parseTicketReference(value: unknown): TicketReference | null {
  if (typeof value !== 'string') return null;
  const match = REFERENCE.exec(value);
  if (!match) return null;
  const sequence = Number(match[2]);
  if (sequence < 1) return null;
  return { year: Number(match[1]), sequence };
}

export function formatTicketReference(year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999 || !Number.isInteger(sequence) || sequence < 1 || sequence > 999_999) {
    throw new RangeError(`cannot format a ticket reference from year ${year} and sequence ${sequence}`);
  }
  return `INC-${year}-${String(sequence).padStart(6, '0')}`;
}
