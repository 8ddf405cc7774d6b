/**
 * Windowing of a long list that scrolls with the page: which rows to render so that the page holds
 * only the titles near the screen, however many are loaded and however far the user has scrolled.
 * Rows not rendered are stood in for by empty space of the same height, so the scroll bar and the
 * positions of the rendered rows are what they would be with every row on the page.
 */

/** How the list is laid out, as measured in the browser. */
export interface ListMetrics {
  /** Items per row (1 for a table). */
  columns: number;
  /** From one row's top to the next row's top in px, the gap between them included. */
  pitch: number;
  /** The space between two rows in px (a grid's row gap; 0 for a table). */
  gap: number;
}

/** The rows to render, `first` included and `last` excluded, and the metrics they come from. */
export interface ListWindow extends ListMetrics {
  first: number;
  last: number;
}

/** Where the screen is, relative to the list. */
export interface Viewport {
  /** px from the top of the list's first row down to the top of the screen (negative while the list starts lower). */
  offset: number;
  /** The screen's height in px. */
  height: number;
  /** px rendered beyond each edge of the screen, so rows are ready for scrolling and for Tab. */
  margin: number;
}

/** A run of rendered items, or the empty space that stands for `rows` rows not rendered. */
export type Segment =
  | { kind: 'items'; start: number; end: number }
  | { kind: 'gap'; row: number; rows: number; height: number };

export function rowCount(count: number, columns: number): number {
  return Math.ceil(count / Math.max(1, columns));
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/**
 * The rows on or near the screen. At least one row is rendered while the list has any, the one
 * nearest the screen, so Tab from the controls above (or Shift+Tab from below) always finds a title.
 */
export function computeWindow(count: number, metrics: ListMetrics, viewport: Viewport): ListWindow {
  const rows = rowCount(count, metrics.columns);
  if (rows === 0) return { ...metrics, first: 0, last: 0 };
  const pitch = Math.max(1, metrics.pitch);
  const top = viewport.offset - viewport.margin;
  const bottom = viewport.offset + viewport.height + viewport.margin;
  const first = clamp(Math.floor(top / pitch), 0, rows - 1);
  const last = clamp(Math.ceil(bottom / pitch), first + 1, rows);
  return { ...metrics, first, last };
}

export function sameWindow(a: ListWindow, b: ListWindow): boolean {
  return a.first === b.first && a.last === b.last && a.columns === b.columns && a.pitch === b.pitch && a.gap === b.gap;
}

/** The height of the space that stands for `rows` rows; a grid adds its own row gap after it. */
function gapHeight(rows: number, view: ListMetrics): number {
  return rows * view.pitch - view.gap;
}

/**
 * The list from top to bottom: the window's items and the space standing for the rows around it.
 * `pinned`, the item holding keyboard focus, stays rendered wherever it is (alone in its row), so
 * focus is not lost when the user scrolls away from it with the mouse; the page still holds at
 * most one item more than the window.
 */
export function windowSegments(count: number, view: ListWindow, pinned: number | null = null): Segment[] {
  const columns = Math.max(1, view.columns);
  const blocks: Array<{ row: number; rows: number; start: number; end: number }> = [];
  if (view.last > view.first) {
    const end = Math.min(count, view.last * columns);
    blocks.push({ row: view.first, rows: view.last - view.first, start: view.first * columns, end });
  }
  if (pinned !== null && pinned >= 0 && pinned < count) {
    const row = Math.floor(pinned / columns);
    if (row < view.first || row >= view.last) blocks.push({ row, rows: 1, start: pinned, end: pinned + 1 });
  }
  blocks.sort((a, b) => a.row - b.row);

  const segments: Segment[] = [];
  const gap = (row: number, rows: number) => segments.push({ kind: 'gap', row, rows, height: gapHeight(rows, view) });
  let row = 0;
  for (const block of blocks) {
    if (block.row > row) gap(row, block.row - row);
    segments.push({ kind: 'items', start: block.start, end: block.end });
    row = block.row + block.rows;
  }
  const rows = rowCount(count, columns);
  if (rows > row) gap(row, rows - row);
  return segments;
}

/** The item indices of a segment, in order (none for a gap). */
export function itemIndices(segment: Segment): number[] {
  if (segment.kind === 'gap') return [];
  return Array.from({ length: segment.end - segment.start }, (_, offset) => segment.start + offset);
}
