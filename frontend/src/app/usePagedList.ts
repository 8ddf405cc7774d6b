import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { Page } from '../api/types';
import { canLoadMore, initialPaging, pagingReducer, type PagingAction, type PagingState } from './paging';

/**
 * Loads a cursor-paged list for `key` (refetched from the start when the key changes). `restored`,
 * pages already loaded for this key (the user came back), is shown as it was, without a refetch.
 */
export function usePagedList<T extends { id: string }>(
  key: string,
  fetchPage: (cursor: string | null, signal: AbortSignal) => Promise<Page<T>>,
  restored?: PagingState<T>,
) {
  const [state, dispatch] = useReducer(
    pagingReducer as (s: PagingState<T>, a: PagingAction<T>) => PagingState<T>,
    key,
    (k: string) => (restored && restored.key === k && restored.status === 'ready' ? restored : initialPaging<T>(k)),
  );
  const skipFirstLoad = useRef(state !== undefined && state === restored);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const controller = useRef<AbortController | null>(null);

  const load = useCallback((forKey: string, cursor: string | null) => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    dispatch({ type: 'loading', key: forKey });
    fetchRef.current(cursor, current.signal).then(
      (page) => !current.signal.aborted && dispatch({ type: 'page', key: forKey, page, append: cursor !== null }),
      (error: unknown) => !current.signal.aborted && dispatch({ type: 'failed', key: forKey, error }),
    );
  }, []);

  useEffect(() => {
    if (skipFirstLoad.current) {
      skipFirstLoad.current = false;
      return () => controller.current?.abort();
    }
    dispatch({ type: 'reset', key });
    load(key, null);
    return () => controller.current?.abort();
  }, [key, load]);

  const stateRef = useRef(state);
  stateRef.current = state;

  const loadMore = useCallback(() => {
    const s = stateRef.current;
    if (canLoadMore(s)) load(s.key, s.nextCursor);
  }, [load]);

  const retry = useCallback(() => {
    const s = stateRef.current;
    load(s.key, s.items.length ? s.nextCursor : null);
  }, [load]);

  const reload = useCallback(() => {
    dispatch({ type: 'reset', key: stateRef.current.key });
    load(stateRef.current.key, null);
  }, [load]);

  const remove = useCallback((id: string) => dispatch({ type: 'remove', id }), []);
  const replace = useCallback((item: T) => dispatch({ type: 'replace', item }), []);

  return { state, loadMore, retry, reload, remove, replace };
}
