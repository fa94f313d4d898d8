import { Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationError } from '@oksio/kernel';
import { PII_CATEGORIES, isPiiCategory, type PiiCategory } from '../crypto/pii';
import { SUBJECT_ID_PATTERN } from '../retention/data-subject.decider';

/** A data-subject id: `<kind>-<id>`, e.g. `contact-<uuid>` (customer contacts) or `customer-<uuid>`. */
@Injectable()
export class SubjectIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !SUBJECT_ID_PATTERN.test(value)) {
      throw new ValidationError('invalid_subject_id', 'subjectId must look like <kind>-<id>, e.g. contact-0195…', [
        { field: 'subjectId', message: 'expected <kind>-<id> (lower-case kind, then letters, digits or _.:-)' },
      ]);
    }
    return value;
  }
}

/** `?categories=a,b` → checked categories (undefined when absent). */
export function parseCategories(raw: string | undefined, field = 'categories'): PiiCategory[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((c) => !isPiiCategory(c));
  if (bad.length > 0) {
    throw new ValidationError('validation_failed', `Unknown categories: ${bad.join(', ')}`, [
      { field, rule: 'PRV-01', message: `categories are ${PII_CATEGORIES.join(', ')}` },
    ]);
  }
  return [...new Set(list)] as PiiCategory[];
}
