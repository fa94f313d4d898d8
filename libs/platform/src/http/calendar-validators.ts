import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { ValidationError, calendarDateProblem, instantProblem, yearMonthProblem } from '@oksio/kernel';

/**
 * The only validators of calendar input (kernel `calendar-values`): a REST body, a query string and
 * a GraphQL argument refuse the same values with a 400 naming the field — and the rule, when given —
 * so that no command can record a date that a read model cannot store.
 */
function calendarValidator(name: string, problemOf: (v: unknown) => string | null, rule?: string, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options: {
        message: (args) => {
          const values = options?.each && Array.isArray(args.value) ? args.value : [args.value];
          const problem = values.map(problemOf).find((p) => p !== null) ?? 'is invalid';
          return `${propertyName} ${problem}${rule ? ` (${rule})` : ''}`;
        },
        ...(rule ? { context: { rule } } : {}),
        ...options,
      },
      validator: { validate: (v: unknown) => problemOf(v) === null },
    });
}

/** A calendar date 'YYYY-MM-DD', a real day, years 1900–2999. */
export function IsCalendarDate(rule?: string, options?: ValidationOptions) {
  return calendarValidator('isCalendarDate', calendarDateProblem, rule, options);
}

/** A month 'YYYY-MM', years 1900–2999. */
export function IsYearMonth(rule?: string, options?: ValidationOptions) {
  return calendarValidator('isYearMonth', yearMonthProblem, rule, options);
}

/** An ISO-8601 instant with 'Z' or an offset, every field in range, years 1900–2999. */
export function IsInstant(rule?: string, options?: ValidationOptions) {
  return calendarValidator('isInstant', instantProblem, rule, options);
}

/**
 * The same checks for a lone query parameter or GraphQL argument: `@Query('asOf', InstantParam)`.
 * Absent stays absent (the handler decides its default); anything else must be valid, and the 400
 * names the parameter.
 */
class CalendarParamPipe implements PipeTransform<unknown, string | undefined> {
  constructor(
    private readonly problemOf: (v: unknown) => string | null,
    private readonly rule?: string,
  ) {}

  transform(value: unknown, metadata: ArgumentMetadata): string | undefined {
    if (value === undefined || value === null) return undefined;
    const problem = this.problemOf(value);
    if (problem === null) return value as string;
    const field = metadata.data ?? 'parameter';
    throw new ValidationError('validation_failed', `${field} ${problem}`, [{ field, message: problem, ...(this.rule ? { rule: this.rule } : {}) }]);
  }
}

export const CalendarDateParam = (rule?: string): PipeTransform => new CalendarParamPipe(calendarDateProblem, rule);
export const YearMonthParam = (rule?: string): PipeTransform => new CalendarParamPipe(yearMonthProblem, rule);
export const InstantParam = (rule?: string): PipeTransform => new CalendarParamPipe(instantProblem, rule);
