/** Cursor paging for an append-only list (infinite scroll); pages of an old query are ignored. */
import type { Page } from '../api/types';

export interface PagingState<T> {
  /** Identifies the query the items belong to (e.g. the API query string). */
  key: string;
  items: T[];
  nextCursor: string | null;
  total: number | null;
  totalIsLowerBound: boolean;
  status: 'idle' | 'loading' | 'ready' | 'failed';
  error: unknown;
  /** True once the last page has arrived. */
  done: boolean;
}

export type PagingAction<T> =
  | { type: 'reset'; key: string }
  | { type: 'loading'; key: string }
  | { type: 'page'; key: string; page: Page<T>; append: boolean }
  | { type: 'failed'; key: string; error: unknown }
  | { type: 'remove'; id: string }
  | { type: 'replace'; item: T };

export function initialPaging<T>(key = ''): PagingState<T> {
  return { key, items: [], nextCursor: null, total: null, totalIsLowerBound: false, status: 'idle', error: null, done: false };
}

export function pagingReducer<T extends { id: string }>(state: PagingState<T>, action: PagingAction<T>): PagingState<T> {
  switch (action.type) {
    case 'reset':
      return initialPaging(action.key);
    case 'loading':
      if (action.key !== state.key) return state;
      return { ...state, status: 'loading', error: null };
    case 'page': {
      if (action.key !== state.key) return state;
      const base = action.append ? state.items : [];
      const seen = new Set(base.map((item) => item.id));
      // Keyset pages can overlap when titles change between requests: keep each id once.
      const fresh = action.page.items.filter((item) => !seen.has(item.id));
      return {
        ...state,
        items: [...base, ...fresh],
        nextCursor: action.page.next_cursor,
        total: action.page.total,
        totalIsLowerBound: action.page.total_is_lower_bound,
        status: 'ready',
        error: null,
        done: !action.page.next_cursor,
      };
    }
    case 'failed':
      if (action.key !== state.key) return state;
      return { ...state, status: 'failed', error: action.error };
    case 'remove': {
      const items = state.items.filter((item) => item.id !== action.id);
      if (items.length === state.items.length) return state;
      return { ...state, items, total: state.total === null ? null : Math.max(0, state.total - 1) };
    }
    case 'replace':
      return { ...state, items: state.items.map((item) => (item.id === action.item.id ? action.item : item)) };
  }
}

/** Whether another page should be asked for now. */
export function canLoadMore(state: PagingState<unknown>): boolean {
  return state.status === 'ready' && !state.done && state.nextCursor !== null;
}

/** "1,234 titles", or "10,000+ titles" when the server stopped counting. */
export function formatTotal(total: number | null, lowerBound: boolean, noun: [string, string]): string {
  if (total === null) return '';
  const number = total.toLocaleString('en-US');
  return `${number}${lowerBound ? '+' : ''} ${total === 1 && !lowerBound ? noun[0] : noun[1]}`;
}
