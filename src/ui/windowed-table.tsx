// A table that renders only the rows in view (and a few beyond), so a list of 1,024 rows costs what one
// screen of rows costs. Rows have one fixed height (one line each). It stays a real table for screen
// readers: aria-rowcount gives the whole count and aria-rowindex each rendered row's place in it.
// The row holding the focus stays rendered while scrolled away, so editing and Tab keep their place.
import type { ComponentChildren, JSX } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { windowSlots } from './windowing';

export interface WindowedTableProps<T> {
  items: readonly T[];
  /** Rows in all, when `items` holds only the first of them (the rest arrive later): their place is kept. */
  rowCount?: number | undefined;
  /** A stable key per item (Preact keeps each row's state with it). */
  itemKey: (item: T) => string;
  /** The row's cells (a fragment of th/td); the table renders the <tr>. */
  renderCells: (item: T, index: number) => ComponentChildren;
  rowClass?: (item: T) => string;
  /** Row height in CSS pixels; every row is exactly this high. */
  rowHeight: number;
  /** How many rows the scroll viewport shows at most: the first screen, rendered in the first frame. */
  screenRows: number;
  /** The <caption> and <thead>, rendered as given (the header row counts as row 1 for aria-rowindex). */
  caption?: ComponentChildren;
  head?: ComponentChildren;
  /** How many cells a row has (a gap row spans them all). */
  columns: number;
  /** Rows rendered beyond each edge of the view. */
  overscan?: number;
  /** Keys of rows to keep rendered wherever they are (e.g. one being edited). */
  pinnedKeys?: readonly string[];
  class?: string;
}

/** The index of the row that holds `node`, read from its data-index. */
function rowIndexOf(node: EventTarget | null): number | undefined {
  const row = node instanceof Element ? node.closest<HTMLElement>('tr[data-index]') : null;
  const index = row ? Number(row.dataset.index) : Number.NaN;
  return Number.isInteger(index) ? index : undefined;
}

export function WindowedTable<T>(props: WindowedTableProps<T>): JSX.Element {
  const { items, itemKey, renderCells, rowClass, rowHeight, screenRows, columns, caption, head, overscan = 3, pinnedKeys = [] } = props;
  const rowCount = Math.max(props.rowCount ?? 0, items.length);
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  // Until measured, the viewport is as high as it may be: the first frame renders the whole first screen.
  const [viewportHeight, setViewportHeight] = useState(screenRows * rowHeight);
  const [focusedKey, setFocusedKey] = useState<string>();

  useLayoutEffect(() => {
    const element = viewport.current;
    if (!element || typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(() => setViewportHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const pinned: number[] = [];
  let focused: number | undefined;
  if (pinnedKeys.length > 0 || focusedKey !== undefined) {
    const wanted = new Set(pinnedKeys);
    items.forEach((item, index) => {
      const key = itemKey(item);
      if (wanted.has(key)) pinned.push(index);
      if (key === focusedKey) focused = index;
    });
  }
  const slots = windowSlots({ count: items.length, rowHeight, scrollTop, viewportHeight, overscan, pinned, focused });

  // Focus moving onto a row (Tab, a click) pins it and its neighbours: Preact renders them in the microtask
  // after this handler, so they are in the page before the next key press, whether or not the view has scrolled.
  const onFocusIn = (event: FocusEvent): void => {
    const index = rowIndexOf(event.target);
    const item = index === undefined ? undefined : items[index];
    setFocusedKey(item === undefined ? undefined : itemKey(item));
  };
  const onFocusOut = (event: FocusEvent): void => {
    if (rowIndexOf(event.relatedTarget) === undefined) setFocusedKey(undefined);
  };

  return (
    <div
      class={props.class ? `windowed ${props.class}` : 'windowed'}
      ref={viewport}
      // The header row is one row high too: the viewport holds it and `screenRows` rows.
      style={{ maxHeight: `${(screenRows + 1) * rowHeight}px`, overflowY: 'auto', '--row-height': `${rowHeight}px` }}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      onFocusIn={onFocusIn}
      onFocusOut={onFocusOut}
    >
      <table aria-rowcount={rowCount + 1}>
        {caption}
        {head}
        <tbody>
          {slots.map((slot, position) => {
            if (slot.kind === 'gap') {
              // One empty row per gap, as high as the rows it stands for; nothing in it to read or focus.
              return (
                // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row with an empty cell, nothing in it can take the focus
                <tr key={`gap-${position}`} class="gap" aria-hidden="true" style={{ height: `${slot.rows * rowHeight}px` }}>
                  <td colSpan={columns} />
                </tr>
              );
            }
            const item = items[slot.index] as T;
            return (
              <tr
                key={itemKey(item)}
                class={rowClass?.(item)}
                data-index={slot.index}
                aria-rowindex={slot.index + 2}
                style={{ height: `${rowHeight}px` }}
              >
                {renderCells(item, slot.index)}
              </tr>
            );
          })}
          {rowCount > items.length && (
            // The rows not read yet: as high as they will be, so the scrollbar does not jump when they come.
            // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row with an empty cell, nothing in it can take the focus
            <tr key="gap-unread" class="gap" aria-hidden="true" style={{ height: `${(rowCount - items.length) * rowHeight}px` }}>
              <td colSpan={columns} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
