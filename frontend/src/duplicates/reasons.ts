import type { DuplicateGroup, Media } from '../api/types';

const REASON_TEXT: Record<string, string> = {
  same_tmdb_id: 'Same TMDB id',
  tmdb_id: 'Same TMDB id',
  same_title: 'Same title',
  same_title_year: 'Same title and year',
  same_normalized_title: 'Same title',
  normalized_title: 'Same title',
  similar_title_year: 'Similar title and same year',
  similar_title: 'Similar title and same year',
};

/** The reasons of a group in words; unknown codes are shown readably rather than hidden. */
export function groupReasons(group: DuplicateGroup): string[] {
  const codes = group.reasons ?? (group.reason ? [group.reason] : []);
  return [...new Set(codes.map((code) => REASON_TEXT[code] ?? code.replace(/_/g, ' ')))];
}

export function groupItems(group: DuplicateGroup): Media[] {
  return group.items ?? group.media ?? [];
}

/** A stable key for a group: its id, or its sorted member ids. */
export function groupKey(group: DuplicateGroup): string {
  return group.id ?? groupItems(group).map((m) => m.id).sort().join('+');
}

/** The suggested survivor: the title with the most copies, then the most details, then the oldest. */
export function suggestSurvivor(items: Media[]): Media | undefined {
  const score = (m: Media) =>
    (m.copies?.length ?? 0) * 100 + (m.tmdb_id ? 10 : 0) + (m.poster_url ? 5 : 0) + (m.overview ? 2 : 0);
  return [...items].sort((a, b) => score(b) - score(a) || a.created_at.localeCompare(b.created_at))[0];
}
