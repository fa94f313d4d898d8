import fc from 'fast-check';
import { v5 as uuidv5 } from 'uuid';
import { deterministicId, isUuid } from './ids';

describe('deterministicId', () => {
  it('is the UUID v5 of the parts joined by U+001F in the platform namespace (same ids as the uuid package)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 4 }), (parts) => {
        const id = deterministicId(...parts);
        expect(id).toBe(uuidv5(parts.join('\u001f'), '6f1b3c52-1f0e-4d8e-9a54-1e4f0b6a8c11'));
        expect(isUuid(id)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
