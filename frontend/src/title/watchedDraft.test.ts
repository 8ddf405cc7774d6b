import { describe, expect, it } from 'vitest';
import { dayInput, describeWatched, watchedAtFor } from './watchedDraft';

describe('watchedAtFor', () => {
  const now = new Date(2026, 11, 7, 15, 30);

  it('sends no date for today, so the server records the moment', () => {
    expect(watchedAtFor(dayInput(now), now)).toEqual({});
    expect(watchedAtFor('', now)).toEqual({});
  });

  it('sends an earlier day as that evening with its offset', () => {
    const sent = watchedAtFor('2024-03-09', now);
    expect('watched_at' in sent && new Date(sent.watched_at!).getTime()).toBe(new Date(2024, 2, 9, 20, 0).getTime());
  });

  it('refuses a day in the future or not a day', () => {
    expect(watchedAtFor('2026-12-08', now)).toHaveProperty('problem');
    expect(watchedAtFor('soon', now)).toHaveProperty('problem');
  });
});

describe('describeWatched', () => {
  it('names the day', () => {
    expect(describeWatched('2024-03-09T20:00:00Z')).toMatch(/^Watched on .*2024/);
  });
});
