import { type ArgumentMetadata, ValidationPipe, type ValidationError as ClassValidatorError } from '@nestjs/common';
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

/** No command or query of this API nests deeper than this; hostile bodies may (fuzzing found 2,000). */
export const MAX_INPUT_DEPTH = 32;

/** A UTF-16 surrogate standing alone (a pair is one astral code point and does not match). */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/**
 * Field names that address an object's prototype. No input of this API has them; class-transformer
 * drops them without a word, so a body carrying one was accepted (201) minus that field.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Refuses, before class-transformer and class-validator see it:
 * - input nested deeper than MAX_INPUT_DEPTH: both recurse, and a body of a few thousand nested
 *   arrays overflowed the stack (500). Iterative, so the check itself cannot overflow;
 * - text that is not Unicode (a surrogate without its pair, which JSON's `\uD800` escapes can
 *   carry): validators throw on it (`IsEmail` raised "URI malformed", a 500 found by fuzzing),
 *   and PostgreSQL cannot store it;
 * - `__proto__`, `constructor` and `prototype` field names (prototype pollution attempts), named.
 */
export function assertAcceptableInput(value: unknown, maxDepth = MAX_INPUT_DEPTH): void {
  const stack: Array<{ v: unknown; depth: number; path: string }> = [{ v: value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v === 'string' && UNPAIRED_SURROGATE.test(v)) throw malformedText(path, 'contains a UTF-16 surrogate without its pair');
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) {
      const field = path.split('.').slice(0, 3).join('.') || 'body';
      throw new ValidationError('input_too_deep', `Input is nested deeper than ${maxDepth} levels`, [
        { field, message: `nested deeper than ${maxDepth} levels` },
      ]);
    }
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      if (UNPAIRED_SURROGATE.test(k)) throw malformedText(path, 'has a field name with a UTF-16 surrogate without its pair');
      if (PROTOTYPE_KEYS.has(k)) {
        const field = path ? `${path}.${k}` : k;
        throw new ValidationError('forbidden_field', `${field} is not an accepted field name`, [{ field, message: `${k} is refused as a field name` }]);
      }
      stack.push({ v: child, depth: depth + 1, path: path ? `${path}.${k}` : k });
    }
  }
}

function malformedText(path: string, message: string): ValidationError {
  return new ValidationError('malformed_text', 'Text is not valid Unicode (unpaired surrogate)', [{ field: path || 'body', message }]);
}

class DepthLimitedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    assertAcceptableInput(value);
    return super.transform(value, metadata);
  }
}

/** class-validator with whitelist + forbidNonWhitelisted; failures name each field. */
export function createValidationPipe(): ValidationPipe {
  return new DepthLimitedValidationPipe({
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
