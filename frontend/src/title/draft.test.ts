import { describe, expect, it } from 'vitest';
import { normalizeUpc } from '../add/scanner';
import { copyDraftToInput, draftFromCandidate, draftToInput, EMPTY_COPY, tmdbIdOf, tmdbMatchOf } from './draft';

describe('lookup candidates → a new title', () => {
  it('takes a TMDB candidate as it is, mapping tv to a series', () => {
    const draft = draftFromCandidate({ title: 'Dark', media_type: 'tv', year: 2017, tmdb_id: 70523, genres: ['Drama', 'Mystery'] });
    expect(draft).toMatchObject({ title: 'Dark', media_type: 'tv_series', year: '2017', tmdb_id: 70523, tmdb_media_type: 'tv', genres: 'Drama, Mystery' });
  });

  it('finds the TMDB id in the identities or the external id of a normalized item', () => {
    expect(tmdbIdOf({ title: 'x', identities: { tmdb_id: 5 } })).toBe(5);
    expect(tmdbIdOf({ title: 'x', provider: 'tmdb', external_id: '603' })).toBe(603);
    expect(tmdbIdOf({ title: 'x', provider: 'tmdb', external_id: 'abc' })).toBeNull();
  });

  it('uses the best TMDB match of a barcode or cover answer', () => {
    const match = { title: 'Heat', year: 1995, tmdb_id: 949 };
    expect(tmdbMatchOf({ title: 'HEAT (Blu-ray)', tmdb_match: match })).toBe(match);
    expect(tmdbMatchOf({ title: 'Unknown product' })).toBeNull();
  });

  it('turns the form back into the API body, lists split and blanks cleared', () => {
    const input = draftToInput({
      ...draftFromCandidate({ title: ' Heat ', year: 1995 }),
      cast: 'Al Pacino, Robert De Niro, ',
      overview: '  ',
      year: 'x',
    });
    expect(input).toMatchObject({ title: 'Heat', cast: ['Al Pacino', 'Robert De Niro'], overview: null, year: null });
    expect(copyDraftToInput({ ...EMPTY_COPY, barcode: ' 0123 ', resolution: '' })).toMatchObject({ format: 'Blu-ray', barcode: '0123', resolution: null });
  });

  it("keeps TMDB's characters beside the names that stay in the cast", () => {
    const draft = draftFromCandidate({
      title: 'Heat',
      cast: ['Al Pacino', 'Robert De Niro', 'Val Kilmer'],
      cast_characters: ['Vincent Hanna', 'Neil McCauley', null],
    });
    expect(draftToInput(draft)).toMatchObject({
      cast: ['Al Pacino', 'Robert De Niro', 'Val Kilmer'],
      cast_characters: ['Vincent Hanna', 'Neil McCauley', null],
    });
    expect(draftToInput({ ...draft, cast: 'Robert De Niro, Ashley Judd' })).toMatchObject({
      cast: ['Robert De Niro', 'Ashley Judd'],
      cast_characters: ['Neil McCauley', null],
    });
    expect(draftToInput({ ...draft, cast: 'Ashley Judd' })).not.toHaveProperty('cast_characters');
  });

  it('accepts only barcode lengths that exist', () => {
    expect(normalizeUpc('0 12345-67890 5')).toBe('012345678905');
    expect(normalizeUpc('12345')).toBeNull();
    expect(normalizeUpc('abc')).toBeNull();
  });
});
