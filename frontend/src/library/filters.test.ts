import { describe, expect, it } from 'vitest';
import {
  EMPTY_FILTERS,
  activeFilterCount,
  clearFilters,
  filtersToApiParams,
  filtersToSearch,
  libraryHref,
  mergeDraft,
  parseFilters,
  type LibraryFilters,
} from './filters';

describe('library view <-> URL query', () => {
  it('reads an empty query as the default view and writes it back as nothing', () => {
    expect(parseFilters('')).toEqual(EMPTY_FILTERS);
    expect(filtersToSearch(EMPTY_FILTERS)).toBe('');
  });

  it('round-trips every filter, the sort and the view', () => {
    const view: LibraryFilters = {
      ...EMPTY_FILTERS,
      q: 'alien',
      media_type: 'movie',
      format: '4K UHD',
      genre: 'Science Fiction',
      director: 'Ridley Scott',
      cast: 'Sigourney Weaver',
      year_min: 1970,
      year_max: 1989,
      rating_min: 6.5,
      rating_max: 10,
      user_rating_min: 7,
      user_rating_max: 9.5,
      resolution: '4k',
      source: 'plex',
      missing: 'poster',
      watched: 'false',
      sort: 'year',
      order: 'asc',
      view: 'list',
    };
    const search = filtersToSearch(view);
    expect(parseFilters(search)).toEqual(view);
    expect(search).toContain('format=4K+UHD');
  });

  it('leaves out the sort order when it is the natural one for the sort', () => {
    expect(filtersToSearch({ ...EMPTY_FILTERS, sort: 'added', order: 'desc' })).toBe('?sort=added');
    expect(filtersToSearch({ ...EMPTY_FILTERS, sort: 'title', order: 'desc' })).toBe('?order=desc');
    expect(parseFilters('?sort=rating').order).toBe('desc');
  });

  it('drops values a hand-edited or stale link gets wrong instead of failing', () => {
    const filters = parseFilters('?format=Betamax&year_min=abc&year_max=1999.5&rating_min=11&sort=color&order=up&view=cards&media_type=book');
    expect(filters).toEqual(EMPTY_FILTERS);
  });

  it('trims search text and ignores an empty one', () => {
    expect(parseFilters('?q=%20%20heat%20').q).toBe('heat');
    expect(filtersToSearch({ ...EMPTY_FILTERS, q: '   ' })).toBe('');
  });

  it('builds the API query with sort, order and page size but without the view mode', () => {
    const params = filtersToApiParams(parseFilters('?genre=Drama&year_min=1990&view=list'), 60);
    expect(params).toEqual({ genre: 'Drama', year_min: '1990', sort: 'title', order: 'asc', limit: '60' });
  });

  it('asks the list for the unwatched titles as watched=false', () => {
    expect(filtersToApiParams(parseFilters('?watched=false'), 50)).toMatchObject({ watched: 'false' });
    expect(filtersToApiParams(parseFilters('?watched=true'), 50)).toMatchObject({ watched: 'true' });
    expect(parseFilters('?watched=maybe').watched).toBe('');
  });

  it('counts the active filters and clears them keeping sort and view', () => {
    const filters = parseFilters('?q=x&genre=Drama&format=DVD&year_min=1990&sort=year&view=list');
    expect(activeFilterCount(filters)).toBe(3);
    expect(filtersToSearch(clearFilters(filters))).toBe('?sort=year&view=list');
  });

  it('makes links to a filtered library for other pages', () => {
    expect(libraryHref({ format: 'DVD' })).toBe('/?format=DVD');
    expect(libraryHref({ year_min: 1990, year_max: 1999, sort: 'year', order: 'asc' })).toBe(
      '/?year_min=1990&year_max=1999&sort=year&order=asc',
    );
    expect(libraryHref({})).toBe('/');
  });
});

describe('filter form after the URL changes', () => {
  it('keeps what the user is still typing but follows the URL otherwise', () => {
    const typing = { ...EMPTY_FILTERS, genre: 'Science ', year_min: 19 };
    const fromUrl = parseFilters('?genre=Science&format=DVD');
    expect(mergeDraft(typing, fromUrl)).toMatchObject({ genre: 'Science ', year_min: 19, format: 'DVD' });
    const back = mergeDraft({ ...EMPTY_FILTERS, genre: 'Drama', year_min: 1990 }, parseFilters(''));
    expect(back).toEqual(EMPTY_FILTERS);
  });
});
