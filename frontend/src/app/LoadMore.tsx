import { useEffect, useRef } from 'react';
import type { PagingState } from './paging';
import { ErrorNotice } from './ui';

/** Loads the next page when it scrolls into view; also a button for keyboards and old browsers. */
export function LoadMore({
  state,
  onLoadMore,
  onRetry,
  noun = 'items',
}: {
  state: PagingState<unknown>;
  onLoadMore: () => void;
  onRetry: () => void;
  noun?: string;
}) {
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = sentinel.current;
    if (!element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => entries.some((entry) => entry.isIntersecting) && onLoadMore(),
      { rootMargin: '800px 0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [onLoadMore, state.items.length]);

  if (state.status === 'failed') return <ErrorNotice error={state.error} onRetry={onRetry} />;
  if (state.done || (state.status === 'ready' && !state.nextCursor)) return null;
  return (
    <div ref={sentinel} className="load-more">
      {state.status === 'loading' ? (
        <p role="status" className="muted">
          Loading {noun}…
        </p>
      ) : (
        <button type="button" onClick={onLoadMore}>
          Load more {noun}
        </button>
      )}
    </div>
  );
}
