import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { ValidationError } from '@oksio/kernel';

/** Any UUID version, as Nest's ParseUUIDPipe accepted (`version: undefined`). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A path parameter or GraphQL argument that must be a UUID: `@Param('customerId', UuidParam())`.
 * Unlike ParseUUIDPipe (400 "Validation failed (uuid is expected)" with `errors: []`), the refusal
 * names the parameter.
 */
class UuidParamPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && UUID.test(value)) return value;
    const field = metadata.data ?? 'id';
    throw new ValidationError('invalid_id', `${field} must be a UUID`, [{ field, message: 'a UUID, e.g. 0190a8a4-5e4c-7d2e-8f00-000000000001' }]);
  }
}

export const UuidParam = (): PipeTransform<unknown, string> => new UuidParamPipe();
