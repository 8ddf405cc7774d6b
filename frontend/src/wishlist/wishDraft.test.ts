import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { Wish } from '../api/wishlist';
import { EMPTY_WISH, gotItCopy, ownedTitleOf, wishDraftFrom, wishDraftFromCandidate, wishDraftToInput } from './wishDraft';

const wish: Wish = {
  id: 'w1',
  title: 'Stalker',
  year: 1979,
  media_type: 'movie',
  tmdb_id: 1398,
  imdb_id: 'tt0079944',
  poster_url: null,
  priority: 1,
  format_wanted: '4K UHD',
  notes: 'the Criterion one',
  added_by: 'u1',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  can_edit: true,
};

describe('the wish form', () => {
  it('takes a TMDB pick with its ids, type and poster', () => {
    const draft = wishDraftFromCandidate({
      title: 'Dark',
      media_type: 'tv',
      year: 2017,
      tmdb_id: 70523,
      poster_url: 'https://image.tmdb.org/t/p/w342/dark.jpg',
    });
    expect(draft).toMatchObject({ title: 'Dark', media_type: 'tv_series', year: '2017', tmdb_id: 70523, priority: '3' });
    expect(draft.poster_url).toBe('https://image.tmdb.org/t/p/w342/dark.jpg');
  });

  it('sends blank fields as null and the priority as a number', () => {
    expect(wishDraftToInput({ ...EMPTY_WISH, title: '  Mirror ', year: ' ', priority: '5' })).toEqual({
      title: 'Mirror',
      media_type: 'movie',
      year: null,
      priority: 5,
      format_wanted: null,
      notes: null,
      tmdb_id: null,
      imdb_id: null,
      poster_url: null,
    });
  });

  it('round-trips a stored wish', () => {
    expect(wishDraftToInput(wishDraftFrom(wish))).toMatchObject({
      title: 'Stalker',
      year: 1979,
      priority: 1,
      format_wanted: '4K UHD',
      notes: 'the Criterion one',
      tmdb_id: 1398,
    });
  });
});

describe('Got it', () => {
  it('proposes the format wanted, or the usual one when the wish names none', () => {
    expect(gotItCopy(wish).format).toBe('4K UHD');
    expect(gotItCopy({ format_wanted: null }).format).toBe('Blu-ray');
  });

  it('finds the owned title a refused wish points at', () => {
    const owned = new ApiError(409, 'already_owned', 'Heat is already in the library', [{ media_id: 'm9' }]);
    expect(ownedTitleOf(owned)).toBe('m9');
    expect(ownedTitleOf(new ApiError(409, 'already_wished', 'already on the wishlist', []))).toBeNull();
    expect(ownedTitleOf(new Error('boom'))).toBeNull();
  });
});
