import { ConflictError, ValidationError } from '@oksio/kernel';
import type { CommandContext } from './command-context';
import { causedBy, checkPrecondition, parseExpectedRevision, parseIfMatch } from './revision-precondition';

describe('issue 18 item 3 — one parsing of If-Match, one 409', () => {
  it('accepts 3, "3", W/"3" and -1; absent or empty is no expectation', () => {
    expect(parseIfMatch('3')).toBe(3);
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('W/"3"')).toBe(3);
    expect(parseIfMatch(' "12" ')).toBe(12);
    expect(parseIfMatch('-1')).toBe(-1);
    expect(parseIfMatch('"-1"')).toBe(-1);
    expect(parseIfMatch(undefined)).toBeNull();
    expect(parseIfMatch('')).toBeNull();
  });

  it.each(['*', 'yesterday', '"3', '3"', '"1", "2"', '1, 2', 'W/3x', '-2', '1.5', '1e3', '9999999999999999', '"\u0000"'])('refuses %j with 400 invalid_if_match naming If-Match', (value) => {
    expect(() => parseIfMatch(value)).toThrow(ValidationError);
    try {
      parseIfMatch(value);
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_if_match', details: [{ field: 'If-Match' }] });
    }
  });

  it('refuses a repeated header (several values)', () => {
    expect(() => parseIfMatch(['"1"', '"2"'])).toThrow(ValidationError);
  });

  it('expectedRevision (GraphQL): an integer ≥ -1 or nothing', () => {
    expect(parseExpectedRevision(null)).toBeNull();
    expect(parseExpectedRevision(undefined)).toBeNull();
    expect(parseExpectedRevision(0)).toBe(0);
    expect(parseExpectedRevision(-1)).toBe(-1);
    expect(() => parseExpectedRevision(-2)).toThrow(ValidationError);
  });

  it('a revision other than the expected one is the one 409 revision_mismatch, naming where the expectation came from', () => {
    const ctx = { precondition: { expected: 3, field: 'If-Match' as const, reached: null } };
    expect(() => checkPrecondition(ctx, 'customer-1', 3)).not.toThrow();
    expect(() => checkPrecondition(ctx, 'customer-1', 4)).toThrow(ConflictError);
    try {
      checkPrecondition({ precondition: { expected: 0, field: 'expectedRevision', reached: null } }, 'customer-1', -1);
    } catch (error) {
      expect(error).toMatchObject({ status: 409, code: 'revision_mismatch', details: [{ field: 'expectedRevision' }] });
    }
    expect(() => checkPrecondition({}, 'customer-1', 4)).not.toThrow();
    expect(() => checkPrecondition({ precondition: { expected: null, field: 'If-Match', reached: null } }, 'customer-1', 4)).not.toThrow();
  });

  it("a command's effects on other streams do not carry the caller's precondition", () => {
    const ctx: CommandContext = {
      actor: { id: 'a', role: 'admin' },
      correlationId: 'c',
      causationId: null,
      commandId: '0190a5f4-0000-7000-8000-000000000001',
      reason: null,
      precondition: { expected: 3, field: 'If-Match', reached: null },
    };
    const other = causedBy(ctx, '0190a5f4-0000-7000-8000-000000000002');
    expect(other.precondition).toBeUndefined();
    expect(other).toMatchObject({ commandId: '0190a5f4-0000-7000-8000-000000000002', causationId: ctx.commandId, actor: ctx.actor });
  });
});
