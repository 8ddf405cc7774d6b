import type { Media } from '../api/types';
import { formatsOf, loanStateOf, ownedSeasonsLabel, type LoanState } from './present';

/**
 * What the library page keeps of a loaded title: what its card and its row show. Tens of
 * thousands of titles can be loaded by scrolling, so overviews, cast and the copies themselves are not kept.
 */
export interface LibraryEntry {
  id: string;
  title: string;
  media_type: Media['media_type'];
  year: number | null;
  poster_url: string | null;
  rating: number | null;
  user_rating: number | null;
  runtime_minutes: number | null;
  formats: string[];
  loan: LoanState | null;
  /** The caller has watched it. */
  watched: boolean;
  /** How many copies the space owns (a column of the list; on a card once there is more than one). */
  copies: number;
  /** "Owned 3 of 5 seasons" for a show with recorded seasons, else null. */
  seasons: string | null;
}

export function toLibraryEntry(media: Media): LibraryEntry {
  return {
    id: media.id,
    title: media.title,
    media_type: media.media_type,
    year: media.year,
    poster_url: media.poster_url,
    rating: media.rating,
    user_rating: media.user_rating ?? null,
    runtime_minutes: media.runtime_minutes,
    formats: formatsOf(media),
    loan: loanStateOf(media),
    watched: !!media.watched_at,
    copies: media.copies?.length ?? 0,
    seasons: ownedSeasonsLabel(media.seasons_owned, media.seasons_total),
  };
}

/** A card's line under its title: year, formats, and the copy count when there is more than one. */
export function cardMeta(entry: Pick<LibraryEntry, 'year' | 'formats' | 'copies'>): string {
  const copies = entry.copies > 1 ? `${entry.copies} copies` : null;
  return [entry.year, entry.formats.join(', '), copies].filter(Boolean).join(' · ');
}
