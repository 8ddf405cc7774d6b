import { describe, expect, it } from 'vitest';
import type { Page } from '../api/types';
import { canLoadMore, formatTotal, initialPaging, pagingReducer, type PagingState } from './paging';

type Item = { id: string };
const page = (ids: string[], next: string | null, total = 5, lower = false): Page<Item> => ({
  items: ids.map((id) => ({ id })),
  next_cursor: next,
  total,
  total_is_lower_bound: lower,
});

function run(actions: Parameters<typeof pagingReducer<Item>>[1][], start: PagingState<Item> = initialPaging('q1')) {
  return actions.reduce((state, action) => pagingReducer<Item>(state, action), start);
}

describe('cursor paging reducer', () => {
  it('appends pages in order and stops when there is no next cursor', () => {
    const state = run([
      { type: 'loading', key: 'q1' },
      { type: 'page', key: 'q1', page: page(['a', 'b'], 'c1'), append: false },
    ]);
    expect(state.items.map((i) => i.id)).toEqual(['a', 'b']);
    expect(canLoadMore(state)).toBe(true);

    const last = run([{ type: 'loading', key: 'q1' }, { type: 'page', key: 'q1', page: page(['c'], null), append: true }], state);
    expect(last.items.map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(last.done).toBe(true);
    expect(canLoadMore(last)).toBe(false);
  });

  it('ignores a late page of a query the user has already changed', () => {
    const state = run([
      { type: 'reset', key: 'q2' },
      { type: 'page', key: 'q1', page: page(['old'], 'x'), append: false },
    ]);
    expect(state.items).toEqual([]);
    expect(state.key).toBe('q2');
  });

  it('keeps each item once when pages overlap', () => {
    const state = run([
      { type: 'page', key: 'q1', page: page(['a', 'b'], 'c1'), append: false },
      { type: 'page', key: 'q1', page: page(['b', 'c'], null), append: true },
    ]);
    expect(state.items.map((i) => i.id)).toEqual(['a', 'b', 'c']);
  });

  it('keeps the loaded items when a later page fails, and does not load more until retried', () => {
    const state = run([
      { type: 'page', key: 'q1', page: page(['a'], 'c1'), append: false },
      { type: 'loading', key: 'q1' },
      { type: 'failed', key: 'q1', error: new Error('down') },
    ]);
    expect(state.items).toHaveLength(1);
    expect(state.status).toBe('failed');
    expect(canLoadMore(state)).toBe(false);
  });

  it('removes an item and lowers the total', () => {
    const state = run([
      { type: 'page', key: 'q1', page: page(['a', 'b'], null, 2), append: false },
      { type: 'remove', id: 'a' },
    ]);
    expect(state.items.map((i) => i.id)).toEqual(['b']);
    expect(state.total).toBe(1);
  });

  it('replaces an edited item where it is', () => {
    const state = run([
      { type: 'page', key: 'q1', page: page(['a', 'b'], null, 2), append: false },
      { type: 'replace', item: { id: 'b', edited: true } as never },
    ]);
    expect(state.items).toEqual([{ id: 'a' }, { id: 'b', edited: true }]);
    expect(state.total).toBe(2);
  });

  it('says when the total is only a lower bound', () => {
    expect(formatTotal(10000, true, ['title', 'titles'])).toBe('10,000+ titles');
    expect(formatTotal(1, false, ['title', 'titles'])).toBe('1 title');
    expect(formatTotal(null, false, ['title', 'titles'])).toBe('');
  });
});
