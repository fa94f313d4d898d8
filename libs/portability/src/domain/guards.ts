import { DomainError } from '@oksio/kernel';
import { localDateOf, requireLocalDate, type LocalDate } from './local-date';

/** Input gates shared by the deciders of this context. */

export function requireText(value: unknown, field: string, rule?: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new DomainError('required', `${field} is required`, rule, field);
  }
  return value.trim();
}

export function requireBoolean(value: unknown, field: string, rule?: string): boolean {
  if (typeof value !== 'boolean') throw new DomainError('invalid_fact', `${field} must be true or false`, rule, field);
  return value;
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, rule?: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new DomainError('invalid_value', `${field} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`, rule, field);
  }
  return value as T;
}

/**
 * A business date typed by a person ("received on"): defaults to the Paris date of `now`, may
 * never be in the future (a fact cannot be recorded before it happens).
 */
export function pastOrToday(value: unknown, now: Date, field: string, rule?: string): LocalDate {
  const today = localDateOf(now);
  if (value === undefined || value === null) return today;
  const date = requireLocalDate(value, field, rule);
  if (date > today) throw new DomainError('date_in_future', `${field} ${date} is after today (${today})`, rule, field);
  return date;
}

export function requireOperatorCode(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^\d{2}$/.test(value)) {
    throw new DomainError('invalid_operator_code', `${field} must be a 2-digit operator code, got ${JSON.stringify(value)}`, 'POR-07', field);
  }
  return value;
}
