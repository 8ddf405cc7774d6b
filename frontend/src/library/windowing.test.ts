import { describe, expect, it } from 'vitest';
import { computeWindow, itemIndices, rowCount, windowSegments, type ListMetrics, type Segment } from './windowing';

// A grid of 7 columns whose rows are 300 px apart (284 px cards and a 16 px gap).
const GRID: ListMetrics = { columns: 7, pitch: 300, gap: 16 };
// A table of 36 px rows.
const TABLE: ListMetrics = { columns: 1, pitch: 36, gap: 0 };
const screen = (offset: number) => ({ offset, height: 800, margin: 600 });

function rendered(segments: Segment[]): number[] {
  return segments.flatMap(itemIndices);
}

/** The height the segments take on the page: items' rows at `pitch`, gaps as computed. */
function laidOutHeight(segments: Segment[], metrics: ListMetrics): number {
  let height = 0;
  let row = 0;
  for (const segment of segments) {
    if (segment.kind === 'gap') {
      height += segment.height + metrics.gap;
      row += segment.rows;
    } else {
      const rows = rowCount(segment.end - segment.start, metrics.columns);
      height += rows * metrics.pitch;
      row += rows;
    }
  }
  return height - metrics.gap;
}

describe('the rows to render', () => {
  it('renders the rows on screen and a margin above and below', () => {
    // Screen from 3,000 to 3,800 px; with 600 px either side, 2,400 to 4,400: rows 8 to 14.
    const view = computeWindow(2_000, GRID, screen(3_000));
    expect([view.first, view.last]).toEqual([8, 15]);
  });

  it('renders the same number of items however far the user has scrolled', () => {
    const near = rendered(windowSegments(2_000, computeWindow(2_000, GRID, screen(3_000))));
    const far = rendered(windowSegments(100_000, computeWindow(100_000, GRID, screen(3_000_000))));
    expect(far).toHaveLength(near.length);
    expect(far[0]).toBe(9_998 * 7);
  });

  it('starts at the first row while the list begins below the top of the screen', () => {
    const view = computeWindow(2_000, TABLE, screen(-300));
    expect(view.first).toBe(0);
    expect(view.last).toBe(Math.ceil((-300 + 800 + 600) / 36));
  });

  it('keeps the nearest row rendered when the list is far off screen, so Tab can reach it', () => {
    expect(computeWindow(500, TABLE, screen(-50_000))).toMatchObject({ first: 0, last: 1 });
    expect(computeWindow(500, TABLE, screen(90_000))).toMatchObject({ first: 499, last: 500 });
  });

  it('renders nothing for an empty list', () => {
    const view = computeWindow(0, GRID, screen(0));
    expect(windowSegments(0, view)).toEqual([]);
  });

  it('counts a last row that is not full', () => {
    expect(rowCount(15, 7)).toBe(3);
    expect(computeWindow(15, GRID, screen(0))).toMatchObject({ first: 0, last: 3 });
    expect(rendered(windowSegments(15, computeWindow(15, GRID, screen(0))))).toHaveLength(15);
  });
});

describe('the list around the window', () => {
  it('stands in for the rows above and below with space of their height', () => {
    const view = computeWindow(2_000, GRID, screen(3_000));
    const segments = windowSegments(2_000, view);
    expect(segments).toEqual([
      { kind: 'gap', row: 0, rows: 8, height: 8 * 300 - 16 },
      { kind: 'items', start: 56, end: 105 },
      { kind: 'gap', row: 15, rows: 286 - 15, height: (286 - 15) * 300 - 16 },
    ]);
    // The page is as tall as with every row rendered, so the scroll bar does not jump.
    expect(laidOutHeight(segments, GRID)).toBe(286 * 300 - 16);
  });

  it('has no space in a table where rows follow each other', () => {
    const segments = windowSegments(1_000, computeWindow(1_000, TABLE, screen(3_600)));
    expect(segments[0]).toEqual({ kind: 'gap', row: 0, rows: 83, height: 83 * 36 });
    expect(laidOutHeight(segments, TABLE)).toBe(1_000 * 36);
  });

  it('keeps the focused item rendered, alone in its row, when the window has moved away from it', () => {
    const view = computeWindow(2_000, GRID, screen(30_000));
    const segments = windowSegments(2_000, view, 10);
    expect(segments.slice(0, 3)).toEqual([
      { kind: 'gap', row: 0, rows: 1, height: 284 },
      { kind: 'items', start: 10, end: 11 },
      { kind: 'gap', row: 2, rows: view.first - 2, height: (view.first - 2) * 300 - 16 },
    ]);
    expect(rendered(segments)).toHaveLength(rendered(windowSegments(2_000, view)).length + 1);
    expect(laidOutHeight(segments, GRID)).toBe(286 * 300 - 16);
  });

  it('keeps the focused item after the window too, and adds nothing when it is inside', () => {
    const view = computeWindow(2_000, TABLE, screen(0));
    const after = windowSegments(2_000, view, 1_500);
    expect(after.at(-2)).toEqual({ kind: 'items', start: 1_500, end: 1_501 });
    expect(laidOutHeight(after, TABLE)).toBe(2_000 * 36);
    expect(windowSegments(2_000, view, 3)).toEqual(windowSegments(2_000, view));
  });

  it('forgets a focused item the list no longer has', () => {
    const view = computeWindow(10, TABLE, screen(0));
    expect(windowSegments(10, view, 50)).toEqual(windowSegments(10, view));
  });

  it('lists the items of the window in order, without repeats', () => {
    const indices = rendered(windowSegments(2_000, computeWindow(2_000, GRID, screen(9_000)), 3));
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
    expect(new Set(indices).size).toBe(indices.length);
  });
});
