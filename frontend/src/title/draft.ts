import type { Annotation, Candidate, Condition, Copy, CopyInput, Media, MediaInput, MediaType, Purchase } from '../api/types';
import { defaultCurrency, priceText } from './purchase';

/** The edit form's values: everything as text, as the inputs hold it. */
export interface TitleDraft {
  title: string;
  original_title: string;
  media_type: MediaType;
  year: string;
  runtime_minutes: string;
  overview: string;
  poster_url: string;
  genres: string;
  directors: string;
  cast: string;
  notes: string;
  tmdb_id: number | null;
  tmdb_media_type: 'movie' | 'tv' | null;
  imdb_id: string | null;
  /** TMDB's wide artwork, kept from the pick (not a form field). */
  backdrop_url: string | null;
  /** The character each cast member plays, by name, from TMDB (not a form field: kept for the names that stay). */
  characters: Record<string, string>;
}

export const EMPTY_DRAFT: TitleDraft = {
  title: '',
  original_title: '',
  media_type: 'movie',
  year: '',
  runtime_minutes: '',
  overview: '',
  poster_url: '',
  genres: '',
  directors: '',
  cast: '',
  notes: '',
  tmdb_id: null,
  tmdb_media_type: null,
  imdb_id: null,
  backdrop_url: null,
  characters: {},
};

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** Trimmed text, or null for a blank field so the server clears it. */
function orNull(value: string): string | null {
  return value.trim() ? value.trim() : null;
}

/** Name → character, from a cast and the characters beside it (names without one left out). */
export function charactersByName(cast: string[] = [], characters: Array<string | null> = []): Record<string, string> {
  const byName: Record<string, string> = {};
  cast.forEach((name, index) => {
    const character = characters[index];
    if (character && !(name in byName)) byName[name] = character;
  });
  return byName;
}

/** The characters beside the draft's cast, or nothing when none of its names has one. */
function castCharacters(cast: string[], characters: Record<string, string>): Array<string | null> | undefined {
  const beside = cast.map((name) => (Object.hasOwn(characters, name) ? characters[name]! : null));
  return beside.some(Boolean) ? beside : undefined;
}

function optionalInt(value: string): number | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  const number = Number(trimmed);
  return Number.isInteger(number) ? number : null;
}

export function draftFromMedia(media: Media): TitleDraft {
  return {
    title: media.title,
    original_title: media.original_title ?? '',
    media_type: media.media_type,
    year: media.year?.toString() ?? '',
    runtime_minutes: media.runtime_minutes?.toString() ?? '',
    overview: media.overview ?? '',
    poster_url: media.poster_url ?? '',
    genres: (media.genres ?? []).join(', '),
    directors: (media.directors ?? []).join(', '),
    cast: (media.cast ?? []).join(', '),
    notes: media.notes ?? '',
    tmdb_id: media.tmdb_id,
    tmdb_media_type: media.tmdb_media_type,
    imdb_id: media.imdb_id,
    backdrop_url: media.backdrop_url ?? null,
    characters: charactersByName(media.cast, media.cast_characters),
  };
}

/** The TMDB match of a lookup candidate: UPC and cover answers nest it, TMDB answers are it. */
export function tmdbMatchOf(candidate: Candidate): Candidate | null {
  const nested = candidate.tmdb_match ?? candidate.best_match ?? candidate.match ?? candidate.matches?.[0];
  if (nested) return nested;
  return tmdbIdOf(candidate) ? candidate : null;
}

export function tmdbIdOf(candidate: Candidate): number | null {
  const id =
    candidate.tmdb_id ??
    candidate.identities?.tmdb_id ??
    (candidate.provider === 'tmdb' && candidate.external_id ? Number(candidate.external_id) : null);
  return typeof id === 'number' && Number.isInteger(id) && id > 0 ? id : null;
}

export function tmdbTypeOf(candidate: Candidate): 'movie' | 'tv' {
  const type = candidate.tmdb_media_type ?? candidate.identities?.tmdb_media_type;
  if (type) return type;
  return candidate.media_type === 'tv_series' || candidate.media_type === 'tv' ? 'tv' : 'movie';
}

export function draftFromCandidate(candidate: Candidate): TitleDraft {
  const tmdbId = tmdbIdOf(candidate);
  const mediaType: MediaType =
    candidate.media_type === 'tv' || candidate.media_type === 'tv_series'
      ? 'tv_series'
      : candidate.media_type === 'other'
        ? 'other'
        : 'movie';
  return {
    ...EMPTY_DRAFT,
    title: candidate.title ?? candidate.name ?? candidate.product_title ?? '',
    original_title: candidate.original_title ?? '',
    media_type: mediaType,
    year: candidate.year?.toString() ?? '',
    runtime_minutes: candidate.runtime_minutes?.toString() ?? '',
    overview: candidate.overview ?? '',
    poster_url: candidate.poster_url ?? '',
    genres: (candidate.genres ?? []).join(', '),
    directors: (candidate.directors ?? []).join(', '),
    cast: (candidate.cast ?? []).join(', '),
    tmdb_id: tmdbId,
    tmdb_media_type: tmdbId ? tmdbTypeOf(candidate) : null,
    imdb_id: candidate.imdb_id ?? candidate.identities?.imdb_id ?? null,
    backdrop_url: candidate.backdrop_url ?? null,
    characters: charactersByName(candidate.cast, candidate.cast_characters),
  };
}

/** The POST/PATCH body for a draft; empty text becomes null so a field can be cleared. */
export function draftToInput(draft: TitleDraft): MediaInput {
  const cast = splitList(draft.cast);
  const characters = castCharacters(cast, draft.characters);
  return {
    title: draft.title.trim(),
    original_title: orNull(draft.original_title),
    media_type: draft.media_type,
    year: optionalInt(draft.year),
    runtime_minutes: optionalInt(draft.runtime_minutes),
    overview: orNull(draft.overview),
    poster_url: orNull(draft.poster_url),
    genres: splitList(draft.genres),
    directors: splitList(draft.directors),
    cast,
    ...(characters && { cast_characters: characters }),
    notes: orNull(draft.notes),
    tmdb_id: draft.tmdb_id,
    tmdb_media_type: draft.tmdb_media_type,
    imdb_id: draft.imdb_id,
    backdrop_url: draft.backdrop_url,
  };
}

export type CopyTextField =
  | 'format'
  | 'edition'
  | 'barcode'
  | 'region'
  | 'location'
  | 'notes'
  | 'resolution'
  | 'price'
  | 'currency'
  | 'purchase_date'
  | 'store'
  | 'condition';
/** A copy as typed, with the seasons of its show it holds. */
export type CopyDraft = Record<CopyTextField, string> & { season_numbers: number[] };

export const EMPTY_COPY: CopyDraft = {
  format: 'Blu-ray',
  edition: '',
  barcode: '',
  region: '',
  location: '',
  notes: '',
  resolution: '',
  season_numbers: [],
  price: '',
  currency: '',
  purchase_date: '',
  store: '',
  condition: '',
};

export function copyDraftFrom(copy: Copy): CopyDraft {
  return {
    format: copy.format,
    edition: copy.edition ?? '',
    barcode: copy.barcode ?? '',
    region: copy.region ?? '',
    location: copy.location ?? '',
    notes: copy.notes ?? '',
    resolution: copy.resolution ?? '',
    season_numbers: copy.season_numbers ?? [],
    price: copy.purchase?.price != null ? String(copy.purchase.price) : '',
    currency: copy.purchase?.currency ?? '',
    purchase_date: copy.purchase?.date ?? '',
    store: copy.purchase?.store ?? '',
    condition: copy.condition ?? '',
  };
}

/** The purchase a draft gives: a price without a currency is in `currency` (the default); all blank is null. */
export function purchaseFromDraft(draft: CopyDraft, currency: string): Purchase | null {
  const price = priceText(draft.price);
  const purchase: Purchase = {
    price,
    currency: draft.currency.trim().toUpperCase() || (price !== null ? currency : null),
    date: orNull(draft.purchase_date),
    store: orNull(draft.store),
  };
  return Object.values(purchase).some((value) => value !== null) ? purchase : null;
}

export function copyDraftToInput(draft: CopyDraft, currency: string = defaultCurrency()): CopyInput {
  return {
    format: draft.format as CopyInput['format'],
    edition: orNull(draft.edition),
    barcode: orNull(draft.barcode),
    region: orNull(draft.region),
    location: orNull(draft.location),
    notes: orNull(draft.notes),
    resolution: (orNull(draft.resolution) as CopyInput['resolution']) ?? null,
    season_numbers: [...draft.season_numbers].sort((a, b) => a - b),
    purchase: purchaseFromDraft(draft, currency),
    condition: (orNull(draft.condition) as Condition | null) ?? null,
  };
}

/** The caller's own annotation, whichever name the detail response gives it. */
export function ownAnnotation(media: Media): Annotation | null {
  return media.annotation ?? media.my_annotation ?? null;
}
