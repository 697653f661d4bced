import { describe, expect, it } from 'vitest';
import { isDecomposed, searchForm, visibleSegments } from './visible-text';

describe('visibleSegments', () => {
  it('marks spaces at either end, so a padded key differs from the plain one', () => {
    expect(visibleSegments(' padded key ').segments).toEqual([
      { kind: 'space', text: ' ' },
      { kind: 'text', text: 'padded key' },
      { kind: 'space', text: ' ' },
    ]);
    expect(visibleSegments('padded key').segments).toEqual([{ kind: 'text', text: 'padded key' }]);
  });

  it('marks a text of only spaces as a whole', () => {
    expect(visibleSegments('   ').segments).toEqual([{ kind: 'space', text: '   ' }]);
  });

  it('draws line breaks and tabs as signs, keeping one line', () => {
    expect(visibleSegments('a\nb\tc').segments).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'sign', text: '↵' },
      { kind: 'text', text: 'b' },
      { kind: 'sign', text: '⇥' },
      { kind: 'text', text: 'c' },
    ]);
  });

  it('cuts a long text before it reaches the page, and does not call the spaces at the cut trailing', () => {
    const { segments, cut } = visibleSegments(`${'x'.repeat(9)} ${'y'.repeat(100_000)}`, 10);
    expect(cut).toBe(true);
    expect(segments).toEqual([{ kind: 'text', text: `${'x'.repeat(9)} ` }]);
    expect(visibleSegments('short', 10).cut).toBe(false);
  });
});

describe('isDecomposed', () => {
  it('tells the two forms of "café" apart', () => {
    expect(isDecomposed('caf\u00e9')).toBe(false);
    expect(isDecomposed('cafe\u0301')).toBe(true);
  });
});

describe('searchForm', () => {
  it('sets case and Unicode form aside', () => {
    expect(searchForm('CAFE\u0301')).toBe(searchForm('caf\u00e9'));
  });
});
