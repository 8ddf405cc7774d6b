import type { Season, SeasonInput } from '../api/types';

/** A season row as typed: every field a string until it is saved. */
export type SeasonDraft = Record<'number' | 'name' | 'year' | 'episode_count', string>;

export function seasonDraftsFrom(seasons: Season[]): SeasonDraft[] {
  return seasons.map((season) => ({
    number: String(season.number),
    name: season.name,
    year: season.year === null ? '' : String(season.year),
    episode_count: season.episode_count === null ? '' : String(season.episode_count),
  }));
}

/** The next row: the season after the highest one typed (1 when there is none). */
export function nextSeasonDraft(drafts: SeasonDraft[]): SeasonDraft {
  const numbers = drafts.map((draft) => Number(draft.number)).filter(Number.isInteger);
  return { number: String(numbers.length ? Math.max(...numbers) + 1 : 1), name: '', year: '', episode_count: '' };
}

const numberOrNull = (text: string) => (text.trim() === '' ? null : Number(text));

/** The PUT body; a blank name lets the server name it ("Season 2", "Specials"). The server checks the rest. */
export function seasonDraftsToInput(drafts: SeasonDraft[]): SeasonInput[] {
  return drafts.map((draft) => ({
    number: Number(draft.number),
    ...(draft.name.trim() ? { name: draft.name.trim() } : {}),
    year: numberOrNull(draft.year),
    episode_count: numberOrNull(draft.episode_count),
  }));
}
