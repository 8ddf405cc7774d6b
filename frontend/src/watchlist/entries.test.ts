import { describe, expect, it } from 'vitest';
import type { WatchlistEntry } from '../api/types';
import { entryKey, libraryInput, markOwned, providerNames, wishInput, wishKey, wishedKeys } from './entries';

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

describe('a watchlist entry as a wish', () => {
  it('asks for the title with its ids at the default priority', () => {
    expect(wishInput(entry())).toEqual({
      title: 'Arrival',
      media_type: 'movie',
      year: 2016,
      tmdb_id: 329865,
      imdb_id: 'tt2543164',
      priority: 3,
    });
  });

  it('leaves out what the entry does not know', () => {
    expect(wishInput(entry({ year: null, tmdb_id: null, imdb_id: null }))).toEqual({
      title: 'Arrival',
      media_type: 'movie',
      priority: 3,
    });
  });

  it('is already wished for when a wish has its TMDB id and type', () => {
    const wished = wishedKeys([{ title: 'Arrival (2016)', media_type: 'movie', year: null, tmdb_id: 329865 }]);
    expect(wished.has(wishKey(entry()))).toBe(true);
    expect(wished.has(wishKey(entry({ media_type: 'tv_series' })))).toBe(false);
  });

  it('without a TMDB id, matches a wish by title, year and type, whatever the case', () => {
    const wished = wishedKeys([{ title: 'paterson ', media_type: 'movie', year: 2016, tmdb_id: null }]);
    expect(wished.has(wishKey(entry({ title: 'Paterson', tmdb_id: null })))).toBe(true);
    expect(wished.has(wishKey(entry({ title: 'Paterson', tmdb_id: null, year: 2017 })))).toBe(false);
  });
});
