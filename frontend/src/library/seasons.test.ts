import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, filtersToApiParams, filtersToSearch, parseFilters } from './filters';
import { ownedSeasonsLabel, seasonNumbersLabel } from './present';

describe('ownedSeasonsLabel', () => {
  it('says how many recorded seasons are owned', () => {
    expect(ownedSeasonsLabel(3, 5)).toBe('Owned 3 of 5 seasons');
    expect(ownedSeasonsLabel(0, 1)).toBe('Owned 0 of 1 season');
  });
  it('says nothing when no seasons are recorded', () => {
    expect(ownedSeasonsLabel(0, 0)).toBeNull();
    expect(ownedSeasonsLabel(undefined, undefined)).toBeNull();
  });
});

describe('seasonNumbersLabel', () => {
  it('writes the seasons a copy holds in runs', () => {
    expect(seasonNumbersLabel([3, 1, 2])).toBe('Seasons 1–3');
    expect(seasonNumbersLabel([1, 2, 3, 5, 7, 8])).toBe('Seasons 1–3, 5, 7–8');
    expect(seasonNumbersLabel([2])).toBe('Season 2');
    expect(seasonNumbersLabel([0, 1])).toBe('Specials, Season 1');
    expect(seasonNumbersLabel([0])).toBe('Specials');
  });
  it('says nothing for a copy without seasons', () => {
    expect(seasonNumbersLabel([])).toBeNull();
    expect(seasonNumbersLabel(undefined)).toBeNull();
  });
});

describe('the incomplete shows filter', () => {
  it('round-trips through the URL and asks the list for incomplete=true', () => {
    const incomplete = { ...EMPTY_FILTERS, seasons: 'incomplete' };
    expect(filtersToSearch(incomplete)).toBe('?seasons=incomplete');
    expect(parseFilters('?seasons=incomplete').seasons).toBe('incomplete');
    expect(parseFilters('?seasons=some').seasons).toBe('');
    const params = filtersToApiParams(incomplete, 50);
    expect(params.incomplete).toBe('true');
    expect(params).not.toHaveProperty('seasons');
  });
});
