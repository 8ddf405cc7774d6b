import { describe, expect, it } from 'vitest';
import { activeFilterCount, activitySearch, parseActivitySearch, toApiFilters } from './activityFilters';

describe('activity filters in the URL', () => {
  it('round-trips the picked person and kind', () => {
    const filters = { user_id: '11111111-1111-4111-8111-111111111111', action: 'library.media.created' };
    expect(parseActivitySearch(activitySearch(filters))).toEqual(filters);
  });

  it('drops empty values and days that are not days', () => {
    expect(parseActivitySearch('?user_id=&action=%20&from=yesterday&to=2026-12-07')).toEqual({ to: '2026-12-07' });
    expect(activitySearch({})).toBe('');
  });

  it('turns days into the instants they start and end', () => {
    const api = toApiFilters({ from: '2026-12-01', to: '2026-12-07', q: 'Alien' });
    expect(api.q).toBe('Alien');
    expect(new Date(api.from!).getDate()).toBe(1);
    expect(new Date(api.to!).getHours()).toBe(23);
  });
});

describe('the count of applied activity filters', () => {
  it('counts each filter with a value, and none for an empty log view', () => {
    expect(activeFilterCount({})).toBe(0);
    expect(activeFilterCount({ user_id: 'u1', from: '2026-01-01', q: '' })).toBe(2);
  });
});
