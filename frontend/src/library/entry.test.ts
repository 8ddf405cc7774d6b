import { describe, expect, it } from 'vitest';
import type { Media } from '../api/types';
import { toLibraryEntry } from './entry';

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
      copies: 3,
    });
  });
});
