import { describe, expect, it } from 'vitest';
import { visibleRange, windowSlots, type Slot } from './windowing';

const base = { count: 1024, rowHeight: 32, scrollTop: 0, viewportHeight: 320, overscan: 2 };
const rows = (slots: Slot[]): number[] => slots.flatMap((slot) => (slot.kind === 'row' ? [slot.index] : []));
const height = (slots: Slot[]): number => slots.reduce((sum, slot) => sum + (slot.kind === 'row' ? 1 : slot.rows), 0);

describe('windowSlots', () => {
  it('renders the first screen and the overscan below it, whatever the list size', () => {
    expect(rows(windowSlots(base))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(rows(windowSlots({ ...base, count: 100_000 }))).toHaveLength(12);
  });

  it('keeps the scroll height of every row, rendered or not', () => {
    for (const scrollTop of [0, 5_000, 32 * 1020]) expect(height(windowSlots({ ...base, scrollTop }))).toBe(1024);
  });

  it('follows the scroll position, with overscan on both sides', () => {
    expect(rows(windowSlots({ ...base, scrollTop: 32 * 500 }))).toEqual([498, 499, 500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511]);
  });

  it('keeps a pinned row far from the view rendered, in order, with gaps on each side', () => {
    const slots = windowSlots({ ...base, scrollTop: 32 * 500, pinned: [3] });
    expect(slots.slice(0, 3)).toEqual([
      { kind: 'gap', rows: 3 },
      { kind: 'row', index: 3 },
      { kind: 'gap', rows: 494 },
    ]);
    expect(height(slots)).toBe(1024);
  });

  it('ignores pinned rows that no longer exist', () => {
    expect(rows(windowSlots({ ...base, count: 3, pinned: [7, -1] }))).toEqual([0, 1, 2]);
  });

  it('renders nothing for an empty list, and clamps a scroll past the end', () => {
    expect(windowSlots({ ...base, count: 0 })).toEqual([]);
    expect(visibleRange({ ...base, count: 5, scrollTop: 10_000 })).toEqual([4, 4]);
  });
});

describe('windowSlots with a focused row', () => {
  it('renders the focused row and its overscan neighbours on both sides, even where the view has not scrolled yet', () => {
    // The view still shows rows 0–9 (the scroll that follows the focus has not been handled): Tab from row 11's
    // last button must find row 12 in the page, and Shift+Tab from row 11 row 10.
    expect(rows(windowSlots({ ...base, focused: 11 }))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const far = windowSlots({ ...base, focused: 600 });
    expect(rows(far).slice(-5)).toEqual([598, 599, 600, 601, 602]);
    expect(height(far)).toBe(1024);
  });

  it('clamps the neighbours to the list', () => {
    expect(rows(windowSlots({ ...base, count: 5, focused: 4 }))).toEqual([0, 1, 2, 3, 4]);
    expect(rows(windowSlots({ ...base, scrollTop: 32 * 500, focused: 0 })).slice(0, 3)).toEqual([0, 1, 2]);
  });
});
