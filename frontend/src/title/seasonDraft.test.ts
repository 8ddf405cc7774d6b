import { describe, expect, it } from 'vitest';
import { nextSeasonDraft, seasonDraftsFrom, seasonDraftsToInput } from './seasonDraft';

describe('season drafts', () => {
  it('round-trip a show\'s seasons, leaving a blank name to the server', () => {
    const drafts = seasonDraftsFrom([
      { number: 0, name: 'Specials', year: null, episode_count: 3 },
      { number: 1, name: 'Season 1', year: 2008, episode_count: null },
    ]);
    drafts[1]!.name = ' ';
    expect(seasonDraftsToInput(drafts)).toEqual([
      { number: 0, name: 'Specials', year: null, episode_count: 3 },
      { number: 1, year: 2008, episode_count: null },
    ]);
  });

  it('add the season after the highest one', () => {
    expect(nextSeasonDraft([]).number).toBe('1');
    expect(nextSeasonDraft(seasonDraftsFrom([{ number: 4, name: 'x', year: null, episode_count: null }])).number).toBe('5');
  });
});
