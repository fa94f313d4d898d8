import { StreamHeads } from './stream-heads';

describe('StreamHeads (remembered heads, ADR 0007)', () => {
  it('keeps at most its capacity, dropping the least recently touched head', () => {
    const heads = new StreamHeads(2);
    heads.remember('a', { revision: 0, hash: 'ha' });
    heads.remember('b', { revision: 0, hash: 'hb' });
    heads.remember('a', { revision: 1, hash: 'ha1' }); // touched again: now the most recent
    heads.remember('c', { revision: 0, hash: 'hc' });
    expect(heads.get('b')).toBeUndefined();
    expect(heads.get('a')).toEqual({ revision: 1, hash: 'ha1' });
    expect(heads.get('c')).toEqual({ revision: 0, hash: 'hc' });
    heads.forget('a');
    expect(heads.get('a')).toBeUndefined();
  });
});
