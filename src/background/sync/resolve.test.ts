import { describe, expect, it } from 'vitest';
import { resolveConflict } from './resolve';

const older = { value: 'old', modifiedAt: 1000 };
const newer = { value: 'new', modifiedAt: 2000 };

describe('resolveConflict', () => {
  it('last writer wins: the later device modification', () => {
    expect(resolveConflict('lastWriterWins', newer, older)).toBe('local');
    expect(resolveConflict('lastWriterWins', older, newer)).toBe('remote');
  });

  it('last writer wins: a tie goes to the server', () => {
    expect(resolveConflict('lastWriterWins', { value: 'a', modifiedAt: 5 }, { value: 'b', modifiedAt: 5 })).toBe('remote');
  });

  it('last writer wins treats a removal like any other edit', () => {
    expect(resolveConflict('lastWriterWins', { value: null, modifiedAt: 3 }, { value: 'x', modifiedAt: 2 })).toBe('local');
  });

  it('this device wins, whatever the times', () => {
    expect(resolveConflict('deviceWins', older, newer)).toBe('local');
  });

  it('the server wins, whatever the times', () => {
    expect(resolveConflict('serverWins', newer, older)).toBe('remote');
  });
});
