import { describe, expect, it } from 'vitest';
import type { WatchlistEntry } from '../api/types';
import { entryKey, libraryInput, markOwned, providerNames } from './entries';

function entry(fields: Partial<WatchlistEntry> = {}): WatchlistEntry {
  return {
    title: 'Arrival',
    media_type: 'movie',
    year: 2016,
    tmdb_id: 329865,
    imdb_id: 'tt2543164',
    poster_url: null,
    providers: [{ provider: 'plex', external_id: 'p1' }],
    owned: false,
    media_id: null,
    ...fields,
  };
}

describe('a watchlist entry', () => {
  it('names each provider once, Plex and Trakt by their names', () => {
    const both = entry({
      providers: [
        { provider: 'plex', external_id: 'p1' },
        { provider: 'trakt', external_id: 't1' },
        { provider: 'trakt', external_id: 't2' },
      ],
    });
    expect(providerNames(both)).toEqual(['Plex', 'Trakt']);
  });

  it('adds a movie with its TMDB id and type, so the library can fill in the details', () => {
    expect(libraryInput(entry())).toEqual({
      title: 'Arrival',
      media_type: 'movie',
      year: 2016,
      imdb_id: 'tt2543164',
      tmdb_id: 329865,
      tmdb_media_type: 'movie',
    });
  });

  it("adds a show as TMDB's tv, and a title without ids by its name and year only", () => {
    expect(libraryInput(entry({ title: 'Dark', media_type: 'tv_series', tmdb_id: 70523, imdb_id: null })).tmdb_media_type).toBe('tv');
    expect(libraryInput(entry({ title: 'Amelie', tmdb_id: null, imdb_id: null, year: 2001 }))).toEqual({
      title: 'Amelie',
      media_type: 'movie',
      year: 2001,
    });
  });

  it('is keyed by its first provider and marked owned by the title that was added', () => {
    const arrival = entry();
    const heat = entry({ title: 'Heat', providers: [{ provider: 'trakt', external_id: 't9' }] });
    expect(entryKey(heat)).toBe('trakt:t9');
    const after = markOwned([arrival, heat], heat, 'm1');
    expect(after.map((e) => [e.title, e.owned, e.media_id])).toEqual([
      ['Arrival', false, null],
      ['Heat', true, 'm1'],
    ]);
  });
});
