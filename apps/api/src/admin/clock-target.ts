import { ValidationError } from '@oksio/kernel';

const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Where the test clock may travel: a real instant between 1970 and 9999. Outside it the instant
 * cannot be stored (PostgreSQL's range ends far earlier than a JavaScript Date's) or means nothing
 * for a contract; refused with the field named, as any bad input is (never a 500).
 */
export function clockTarget(target: Date, field: 'instant' | 'advance'): Date {
  const t = target.getTime();
  if (Number.isNaN(t) || t < EARLIEST || t > LATEST) {
    throw new ValidationError('validation_failed', `the test clock must stay between 1970-01-01 and 9999-12-31 (${field})`, [
      { field, message: 'must give an instant between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z' },
    ]);
  }
  return target;
}
