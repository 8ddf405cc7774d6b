import { describe, expect, it } from 'vitest';
import type { Media } from '../api/types';
import { cardMeta, toLibraryEntry } from './entry';

describe('what the library keeps of a loaded title', () => {
  it('keeps what a card and a row show, with the formats of its copies once each and how many copies', () => {
    const shown = { id: 'm1', title: 'Heat', media_type: 'movie', year: 1995, poster_url: null, rating: 8.3, runtime_minutes: 170 };
    const media = {
      ...shown,
      overview: 'A long overview the page never shows.',
      cast: ['Al Pacino', 'Robert De Niro'],
      copies: [{ format: 'DVD' }, { format: 'Blu-ray' }, { format: 'DVD' }],
    } as unknown as Media;
    expect(toLibraryEntry(media)).toEqual({
      ...shown,
      user_rating: null,
      formats: ['DVD', 'Blu-ray'],
      loan: null,
      watched: false,
      copies: 3,
      seasons: null,
    });
  });

  it('keeps how many of a show\'s seasons are owned', () => {
    const show = { id: 'm2', title: 'The Wire', media_type: 'tv_series', copies: [], seasons_owned: 3, seasons_total: 5 };
    expect(toLibraryEntry(show as unknown as Media).seasons).toBe('Owned 3 of 5 seasons');
  });

  it('keeps whether the caller has watched it', () => {
    const media = { id: 'm2', title: 'Ran', copies: [], watched_at: '2024-03-09T20:00:00Z' } as unknown as Media;
    expect(toLibraryEntry(media).watched).toBe(true);
    expect(toLibraryEntry({ ...media, watched_at: null }).watched).toBe(false);
  });
});

describe('the line under a card title', () => {
  it('names the copy count only when the space owns more than one copy', () => {
    expect(cardMeta({ year: 1999, formats: ['DVD', 'Blu-ray'], copies: 3 })).toBe('1999 · DVD, Blu-ray · 3 copies');
    expect(cardMeta({ year: 1999, formats: ['DVD'], copies: 1 })).toBe('1999 · DVD');
    expect(cardMeta({ year: null, formats: [], copies: 0 })).toBe('');
    expect(cardMeta({ year: null, formats: ['4K'], copies: 2 })).toBe('4K · 2 copies');
  });
});
