import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, parseFilters, viewHref, viewQuery } from '../library/filters';

describe('saved view queries', () => {
  it('keeps the filters and the sort, not the page or the view mode', () => {
    const filters = { ...EMPTY_FILTERS, tag: 'Noir', year_min: 1940, sort: 'year' as const, order: 'desc' as const, view: 'list' as const };
    expect(viewQuery(filters)).toBe('tag=Noir&year_min=1940&sort=year&order=desc');
  });

  it('opens the library with the same filters', () => {
    expect(viewHref('tag=Noir&year_min=1940&sort=year&order=desc')).toBe('/?tag=Noir&year_min=1940&sort=year');
  });

  it('reads the loan filters back as the library shows them', () => {
    const href = viewHref('on_loan=true&sort=title&order=asc');
    expect(parseFilters(href.slice(1)).loan).toBe('on_loan');
    expect(viewQuery(parseFilters(href.slice(1)))).toBe('on_loan=true&sort=title&order=asc');
  });

  it('counts a tag as a filter', () => {
    expect(parseFilters('?tag=Noir').tag).toBe('Noir');
  });
});
