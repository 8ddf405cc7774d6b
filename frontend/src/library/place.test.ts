import { describe, expect, it } from 'vitest';
import { initialPaging, type PagingState } from '../app/paging';
import { PLACE_TTL_MS, savePlace, takePlace } from './place';

const ready = (key: string, ids: string[]): PagingState<{ id: string }> => ({
  ...initialPaging<{ id: string }>(key),
  items: ids.map((id) => ({ id })),
  status: 'ready',
  nextCursor: 'c2',
});

describe('the library remembers where the user was', () => {
  it('gives back the loaded pages and the scroll position of the same view once', () => {
    savePlace({ spaceId: 's1', key: 'k', state: ready('k', ['a', 'b']), scrollY: 2400, savedAt: 1000 });
    const place = takePlace<{ id: string }>('s1', 'k', 2000);
    expect(place?.scrollY).toBe(2400);
    expect(place?.state.items.map((i) => i.id)).toEqual(['a', 'b']);
    expect(takePlace('s1', 'k', 2000)).toBeUndefined();
  });

  it('forgets it for another view, another space, or after a long time', () => {
    savePlace({ spaceId: 's1', key: 'k', state: ready('k', ['a']), scrollY: 10, savedAt: 0 });
    expect(takePlace('s1', 'other', 1)).toBeUndefined();
    savePlace({ spaceId: 's1', key: 'k', state: ready('k', ['a']), scrollY: 10, savedAt: 0 });
    expect(takePlace('s2', 'k', 1)).toBeUndefined();
    savePlace({ spaceId: 's1', key: 'k', state: ready('k', ['a']), scrollY: 10, savedAt: 0 });
    expect(takePlace('s1', 'k', PLACE_TTL_MS + 1)).toBeUndefined();
  });

  it('does not restore a list that was still loading', () => {
    savePlace({ spaceId: 's1', key: 'k', state: { ...ready('k', []), status: 'loading' }, scrollY: 0, savedAt: 0 });
    expect(takePlace('s1', 'k', 1)).toBeUndefined();
  });
});
