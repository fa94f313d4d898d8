import { ApiError, fromProblem, toApiError } from '../src/api';
import { formatDate, formatDateTime, formatDuration, formatMoney, formatPhone } from '../src/format';
import { parisLocal, parisLocalToInstant } from '../src/time';
import { ADMIN_SECTIONS } from '../src/sections';

/** Intl uses narrow/no-break spaces in French; compare on plain spaces. */
const plain = (s: string) => s.replace(/\s/g, ' ');

describe('admin client: French formatting (Europe/Paris, EUR)', () => {
  it('formats decimal-string amounts in euros without going through floats', () => {
    expect(plain(formatMoney('1234.5'))).toBe('1 234,50 €');
    expect(plain(formatMoney('0.1'))).toBe('0,10 €');
    expect(plain(formatMoney('-40.00'))).toBe('-40,00 €');
    // Beyond float precision: the string is formatted as written.
    expect(plain(formatMoney('12345678901234567.89'))).toBe('12 345 678 901 234 567,89 €');
    expect(formatMoney(null)).toBe('—');
  });

  it('shows instants in Paris time across DST, and local dates without a time-zone shift', () => {
    expect(formatDateTime('2031-02-04T09:00:00Z')).toBe('4 févr. 2031, 10:00');
    expect(formatDateTime('2031-07-01T08:00:00Z')).toBe('1 juil. 2031, 10:00');
    expect(formatDate('2027-04-01')).toBe('1 avr. 2027');
    expect(formatDate('2026-12-31T23:30:00Z')).toBe('1 janv. 2027');
    expect(formatDateTime(null)).toBe('—');
  });

  it('writes durations and phone numbers the French way', () => {
    expect(formatDuration(3 * 3_600_000 + 12 * 60_000 + 5_000)).toBe('3 h 12 min 05 s');
    expect(formatDuration(45_000)).toBe('0 min 45 s');
    expect(formatDuration(2 * 86_400_000 + 4 * 3_600_000)).toBe('2 j 4 h 00 min');
    expect(formatDuration(-90_000)).toBe('1 min 30 s');
    expect(formatPhone('+33612345601')).toBe('06 12 34 56 01');
    expect(formatPhone('0145678901')).toBe('01 45 67 89 01');
    expect(formatPhone('+442071234567')).toBe('+442071234567');
  });

  it('reads datetime-local values as Paris wall time (CET, CEST, the spring-forward day)', () => {
    expect(parisLocalToInstant('2031-02-03T09:30')).toBe('2031-02-03T08:30:00.000Z');
    expect(parisLocalToInstant('2031-07-01T10:00')).toBe('2031-07-01T08:00:00.000Z');
    expect(parisLocalToInstant('2031-03-30T03:30')).toBe('2031-03-30T01:30:00.000Z');
    expect(parisLocalToInstant('2031-10-26T12:00')).toBe('2031-10-26T11:00:00.000Z');
    expect(parisLocalToInstant('03/02/2031 09:30')).toBeNull();
    expect(parisLocal(Date.parse('2031-02-03T08:30:00Z'))).toBe('2031-02-03T09:30');
    expect(parisLocal(Date.parse('2031-07-01T08:00:00Z'))).toBe('2031-07-01T10:00');
  });
});

describe('admin client: errors as the server states them', () => {
  it('maps GraphQL problem extensions to a kind, the detail and per-field errors with their rule', () => {
    const error = toApiError(
      { message: 'x', extensions: { status: 422, code: 'notice_too_late', detail: 'The notice arrived too late', errors: [{ field: 'receivedOn', rule: 'SUB-04', message: 'after the deadline' }] } },
      200,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'business', status: 422, code: 'notice_too_late', message: 'The notice arrived too late', errors: [{ field: 'receivedOn', rule: 'SUB-04' }] });
    expect(toApiError({ message: 'Role support may not do this', extensions: { status: 403, code: 'forbidden' } }, 200).kind).toBe('forbidden');
    expect(toApiError({ message: 'An API key is required', extensions: { status: 401, code: 'unauthenticated' } }, 200).kind).toBe('unauthenticated');
    expect(toApiError({ message: 'Variable "$id" got invalid value', extensions: { code: 'BAD_USER_INPUT' } }, 400).kind).toBe('validation');
  });

  it('recognises a query the server does not offer and names the missing field', () => {
    const error = toApiError({ message: 'Cannot query field "ticketBoard" on type "Query".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, 400);
    expect(error).toMatchObject({ kind: 'unavailable', missingField: 'ticketBoard' });
    expect(error.message).toContain('« ticketBoard »');
  });

  it('reads application/problem+json bodies', () => {
    expect(fromProblem({ status: 404, code: 'customer_not_found', detail: 'No customer 42', errors: [] }, 404)).toMatchObject({ kind: 'not_found', message: 'No customer 42' });
    expect(fromProblem({}, 409)).toMatchObject({ kind: 'conflict', message: 'HTTP 409' });
  });

  it('client sections never collide with the API routes under /admin', () => {
    expect(ADMIN_SECTIONS).not.toContain('clock');
    expect(ADMIN_SECTIONS).not.toContain('projections');
    expect(ADMIN_SECTIONS).not.toContain('assets');
  });
});
