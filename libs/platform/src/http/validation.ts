import { ValidationPipe, type ValidationError as ClassValidatorError } from '@nestjs/common';
import { ValidationError, type ErrorDetail } from '@oksio/kernel';

function flatten(errors: ClassValidatorError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([constraint, message]) => ({
      field,
      message: constraint === 'whitelistValidation' ? `${field} is not an accepted field` : message,
      // A rule ID can be attached to a constraint through its context: { context: { rule: 'SUB-04' } }.
      ...(e.contexts?.[constraint]?.rule ? { rule: String(e.contexts[constraint].rule) } : {}),
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** class-validator with whitelist + forbidNonWhitelisted; failures name each field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new ValidationError(
        'validation_failed',
        `Invalid input: ${details.map((d) => d.field).join(', ')}`,
        details,
      );
    },
  });
}
