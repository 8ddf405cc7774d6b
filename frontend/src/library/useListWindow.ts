import { useCallback, useEffect, useLayoutEffect, useRef, useState, type FocusEvent, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import { computeWindow, sameWindow, type ListMetrics, type ListWindow } from './windowing';

/** Rendered beyond each edge of the screen, in px: rows are ready before they scroll into view. */
const MARGIN_PX = 600;

export interface ListWindowing<E extends HTMLElement> {
  /** For the element whose children are the rows: a grid's <ul>, a table's <tbody>. */
  ref: RefObject<E | null>;
  view: ListWindow;
  /** The item holding keyboard focus, kept rendered wherever it is. */
  pinned: number | null;
  onFocus: (event: FocusEvent<E>) => void;
  onBlur: (event: FocusEvent<E>) => void;
}

function trackCount(style: CSSStyleDeclaration): number {
  // A grid's resolved `grid-template-columns` lists one length per column ("136px 136px ...").
  return style.display === 'grid' ? Math.max(1, style.gridTemplateColumns.split(' ').filter(Boolean).length) : 1;
}

/** Columns from the CSS, the row gap, and the pitch from two rendered rows (or one row and the gap). */
function measure(element: HTMLElement, fallback: ListMetrics): ListMetrics {
  const style = getComputedStyle(element);
  const columns = trackCount(style);
  const gap = style.display === 'grid' ? parseFloat(style.rowGap) || 0 : 0;
  const first = element.querySelector<HTMLElement>(':scope > [data-index]');
  if (!first) return { ...fallback, columns, gap };
  const top = first.getBoundingClientRect();
  const below = element.querySelector<HTMLElement>(`:scope > [data-index="${Number(first.dataset.index) + columns}"]`);
  const pitch = below ? below.getBoundingClientRect().top - top.top : top.height + gap;
  return { columns, gap, pitch: pitch > 0 ? pitch : fallback.pitch };
}

/**
 * Windowing for a list of `count` items that scrolls with the page (see windowing.ts). Each
 * rendered item carries `data-index`; `estimate` serves until the first rows can be measured.
 */
export function useListWindow<E extends HTMLElement>(count: number, estimate: ListMetrics): ListWindowing<E> {
  const ref = useRef<E>(null);
  const [view, setView] = useState<ListWindow>(() =>
    computeWindow(count, estimate, { offset: 0, height: window.innerHeight, margin: MARGIN_PX }),
  );
  const [pinned, setPinned] = useState<number | null>(null);

  const update = useCallback(() => {
    const element = ref.current;
    if (!element) return;
    const viewport = { offset: -element.getBoundingClientRect().top, height: window.innerHeight, margin: MARGIN_PX };
    const next = computeWindow(count, measure(element, estimate), viewport);
    setView((current) => (sameWindow(current, next) ? current : next));
  }, [count, estimate]);
  const updateRef = useRef(update);
  updateRef.current = update;

  // After every render (new pages, first rows to measure): settles before the browser paints.
  useLayoutEffect(update);

  useEffect(() => {
    let frame = 0;
    const schedule = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        // Rendered in this frame, not the next: fast scrolling never shows the space of a missing row.
        flushSync(() => updateRef.current());
      });
    };
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    const resized = new ResizeObserver(schedule);
    if (ref.current) resized.observe(ref.current);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
      resized.disconnect();
    };
  }, []);

  const onFocus = useCallback((event: FocusEvent<E>) => {
    const item = (event.target as Element).closest<HTMLElement>('[data-index]');
    if (item && ref.current?.contains(item)) setPinned(Number(item.dataset.index));
  }, []);
  const onBlur = useCallback((event: FocusEvent<E>) => {
    const next = event.relatedTarget as Node | null;
    if (next && !ref.current?.contains(next)) setPinned(null);
  }, []);

  return { ref, view, pinned, onFocus, onBlur };
}
