import { ApiError } from '../api/client';
import type { Candidate, CopyFormat, MediaType } from '../api/types';
import type { Wish, WishInput } from '../api/wishlist';
import { EMPTY_COPY, draftFromCandidate, type CopyDraft } from '../title/draft';

/** The wish form's values, as the inputs hold them; the TMDB/IMDb ids and poster come from a search pick. */
export interface WishDraft {
  title: string;
  media_type: MediaType;
  year: string;
  priority: string;
  format_wanted: string;
  notes: string;
  tmdb_id: number | null;
  imdb_id: string | null;
  poster_url: string | null;
}

export const PRIORITIES: ReadonlyArray<readonly [value: string, label: string]> = [
  ['1', '1 · most wanted'],
  ['2', '2'],
  ['3', '3'],
  ['4', '4'],
  ['5', '5 · some day'],
];

export const EMPTY_WISH: WishDraft = {
  title: '',
  media_type: 'movie',
  year: '',
  priority: '3',
  format_wanted: '',
  notes: '',
  tmdb_id: null,
  imdb_id: null,
  poster_url: null,
};

/** A TMDB search pick as a wish: its title, type, year, ids and poster (read the Add page's way). */
export function wishDraftFromCandidate(candidate: Candidate): WishDraft {
  const title = draftFromCandidate(candidate);
  return {
    ...EMPTY_WISH,
    title: title.title,
    media_type: title.media_type,
    year: title.year,
    tmdb_id: title.tmdb_id,
    imdb_id: title.imdb_id,
    poster_url: title.poster_url || null,
  };
}

export function wishDraftFrom(wish: Wish): WishDraft {
  return {
    title: wish.title,
    media_type: wish.media_type,
    year: wish.year?.toString() ?? '',
    priority: String(wish.priority),
    format_wanted: wish.format_wanted ?? '',
    notes: wish.notes ?? '',
    tmdb_id: wish.tmdb_id,
    imdb_id: wish.imdb_id,
    poster_url: wish.poster_url,
  };
}

/** The POST/PATCH body; blank text becomes null so a field can be cleared. */
export function wishDraftToInput(draft: WishDraft): WishInput {
  const year = Number(draft.year.trim());
  return {
    title: draft.title.trim(),
    media_type: draft.media_type,
    year: draft.year.trim() && Number.isInteger(year) ? year : null,
    priority: Number(draft.priority),
    format_wanted: (draft.format_wanted || null) as CopyFormat | null,
    notes: draft.notes.trim() || null,
    tmdb_id: draft.tmdb_id,
    imdb_id: draft.imdb_id,
    poster_url: draft.poster_url,
  };
}

/** The copy "Got it" proposes: the format wanted, when the wish names one. */
export function gotItCopy(wish: Pick<Wish, 'format_wanted'>): CopyDraft {
  return { ...EMPTY_COPY, format: wish.format_wanted ?? EMPTY_COPY.format };
}

/** The title a refused wish already is in the library (a 409 `already_owned` names it), to link to. */
export function ownedTitleOf(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== 'already_owned') return null;
  const detail = error.details[0] as { media_id?: unknown } | undefined;
  return typeof detail?.media_id === 'string' ? detail.media_id : null;
}
