// Which rows of a long list to render: those in view, a few beyond, and any the person is using.
// Rows have one fixed height, so where each row sits is known without measuring it.

export interface WindowInput {
  count: number;
  rowHeight: number;
  scrollTop: number;
  viewportHeight: number;
  /** Rows rendered beyond each edge, so that scrolling and tabbing find the next row already there. */
  overscan: number;
  /** Rows kept rendered wherever they are (the one being edited). */
  pinned?: readonly number[];
  /**
   * The row holding the focus: kept rendered with `overscan` rows on each side, wherever the view is. Tab and
   * Shift+Tab then find the next row in the page at once, without waiting for the scroll that follows the focus
   * (its event comes with a later frame; on a busy machine several key presses may come first).
   */
  focused?: number | undefined;
}

/** A run of rendered rows, or the space of the rows not rendered between two runs. */
export type Slot = { kind: 'row'; index: number } | { kind: 'gap'; rows: number };

/** The first and last index in view plus overscan, clamped to the list; [0, -1] when it is empty. */
export function visibleRange({ count, rowHeight, scrollTop, viewportHeight, overscan }: WindowInput): [number, number] {
  if (count === 0 || rowHeight <= 0) return [0, -1];
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight) - 1;
  return [Math.max(0, Math.min(count - 1, first - overscan)), Math.max(0, Math.min(count - 1, last + overscan))];
}

/** The rows to render in order, with a gap for each run of rows left out (the gaps keep the scroll height). */
export function windowSlots(input: WindowInput): Slot[] {
  const [first, last] = visibleRange(input);
  const indices = new Set<number>();
  for (let i = first; i <= last; i++) indices.add(i);
  const pinned = [...(input.pinned ?? [])];
  const { focused } = input;
  if (focused !== undefined) for (let i = focused - input.overscan; i <= focused + input.overscan; i++) pinned.push(i);
  for (const i of pinned) if (Number.isInteger(i) && i >= 0 && i < input.count) indices.add(i);
  const sorted = [...indices].sort((a, b) => a - b);
  const slots: Slot[] = [];
  let next = 0;
  for (const index of sorted) {
    if (index > next) slots.push({ kind: 'gap', rows: index - next });
    slots.push({ kind: 'row', index });
    next = index + 1;
  }
  if (input.count > next) slots.push({ kind: 'gap', rows: input.count - next });
  return slots;
}
