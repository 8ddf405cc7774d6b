/** The library view's state (search, filters, sort, view) and its round trip through the URL query. */

export const SORT_KEYS = ['title', 'year', 'added', 'rating', 'user_rating', 'runtime'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortOrder = 'asc' | 'desc';
export type ViewMode = 'grid' | 'list';

export const SORT_LABELS: Record<SortKey, string> = {
  title: 'Title',
  year: 'Year',
  added: 'Date added',
  rating: 'Rating',
  user_rating: 'My rating',
  runtime: 'Runtime',
};

export const MEDIA_TYPES = [
  ['movie', 'Movie'],
  ['tv_series', 'TV series'],
  ['other', 'Other'],
] as const;
export const FORMATS = ['4K UHD', 'Blu-ray', 'DVD', 'VHS', 'LaserDisc', 'Digital', 'Other'] as const;
export const RESOLUTIONS = [
  ['sd', 'SD'],
  ['720p', '720p'],
  ['1080p', '1080p'],
  ['4k', '4K'],
] as const;
export const SOURCES = [
  ['manual', 'Added by hand'],
  ['plex', 'Plex'],
  ['barcode', 'Barcode'],
  ['tmdb', 'TMDB'],
] as const;
export const MISSING = [
  ['poster', 'No poster'],
  ['copies', 'No copies'],
] as const;

/** The caller's own watched state (`watched=true|false` on the list). */
export const WATCHED = [
  ['false', 'Unwatched'],
  ['true', 'Watched'],
] as const;

export const LOANS = [
  ['on_loan', 'On loan'],
  ['overdue', 'Overdue'],
] as const;

export const SEASONS = [['incomplete', 'Incomplete shows']] as const;

/** Text filters, free text from the user. */
const TEXT_KEYS = ['q', 'genre', 'director', 'cast', 'tag'] as const;
/** Choice filters, checked against their allowed values. */
const CHOICES = {
  media_type: MEDIA_TYPES.map(([value]) => value) as readonly string[],
  format: FORMATS as readonly string[],
  resolution: RESOLUTIONS.map(([value]) => value) as readonly string[],
  source: SOURCES.map(([value]) => value) as readonly string[],
  missing: MISSING.map(([value]) => value) as readonly string[],
  loan: LOANS.map(([value]) => value) as readonly string[],
  seasons: SEASONS.map(([value]) => value) as readonly string[],
  watched: WATCHED.map(([value]) => value) as readonly string[],
};
/** Numeric ranges: [key, min, max, integer?]. */
const NUMBERS = [
  ['year_min', 1870, 2100, true],
  ['year_max', 1870, 2100, true],
  ['rating_min', 0, 10, false],
  ['rating_max', 0, 10, false],
  ['user_rating_min', 0, 10, false],
  ['user_rating_max', 0, 10, false],
] as const;

type TextKey = (typeof TEXT_KEYS)[number];
type ChoiceKey = keyof typeof CHOICES;
type NumberKey = (typeof NUMBERS)[number][0];

export type FilterKey = TextKey | ChoiceKey | NumberKey;

export type LibraryFilters = Record<TextKey | ChoiceKey, string> &
  Record<NumberKey, number | null> & { sort: SortKey; order: SortOrder; view: ViewMode };

/** Newest, best-rated and longest first; titles A to Z. */
export function defaultOrder(sort: SortKey): SortOrder {
  return sort === 'title' ? 'asc' : 'desc';
}

export const EMPTY_FILTERS: LibraryFilters = {
  q: '',
  genre: '',
  director: '',
  cast: '',
  tag: '',
  media_type: '',
  format: '',
  resolution: '',
  source: '',
  missing: '',
  loan: '',
  seasons: '',
  watched: '',
  year_min: null,
  year_max: null,
  rating_min: null,
  rating_max: null,
  user_rating_min: null,
  user_rating_max: null,
  sort: 'title',
  order: 'asc',
  view: 'grid',
};

function parseNumber(raw: string | null, min: number, max: number, integer: boolean): number | null {
  if (raw === null || raw.trim() === '') return null;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) return null;
  if (integer && !Number.isInteger(value)) return null;
  return value;
}

/** Reads the URL query; unknown or invalid values fall back to their defaults. */
export function parseFilters(search: string): LibraryFilters {
  const params = new URLSearchParams(search);
  const filters: LibraryFilters = { ...EMPTY_FILTERS };
  for (const key of TEXT_KEYS) filters[key] = (params.get(key) ?? '').trim();
  for (const key of Object.keys(CHOICES) as ChoiceKey[]) {
    const value = params.get(key) ?? '';
    filters[key] = CHOICES[key].includes(value) ? value : '';
  }
  for (const [key, min, max, integer] of NUMBERS) filters[key] = parseNumber(params.get(key), min, max, integer);
  const sort = params.get('sort');
  filters.sort = (SORT_KEYS as readonly string[]).includes(sort ?? '') ? (sort as SortKey) : 'title';
  const order = params.get('order');
  filters.order = order === 'asc' || order === 'desc' ? order : defaultOrder(filters.sort);
  filters.view = params.get('view') === 'list' ? 'list' : 'grid';
  return filters;
}

/** The URL query for a view, with defaults left out so links stay short; '' for the default view. */
export function filtersToSearch(filters: LibraryFilters): string {
  const params = new URLSearchParams();
  for (const key of TEXT_KEYS) if (filters[key].trim()) params.set(key, filters[key].trim());
  for (const key of Object.keys(CHOICES) as ChoiceKey[]) if (filters[key]) params.set(key, filters[key]);
  for (const [key] of NUMBERS) {
    const value = filters[key];
    if (value !== null) params.set(key, String(value));
  }
  if (filters.sort !== 'title') params.set('sort', filters.sort);
  if (filters.order !== defaultOrder(filters.sort)) params.set('order', filters.order);
  if (filters.view !== 'grid') params.set('view', filters.view);
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** The library path showing only what `partial` selects, for links from other pages. */
export function libraryHref(partial: Partial<LibraryFilters>): string {
  return `/${filtersToSearch({ ...EMPTY_FILTERS, ...partial, order: partial.order ?? defaultOrder(partial.sort ?? 'title') })}`;
}

/** The GET /api/media query for a view (the view mode is the browser's business only). */
export function filtersToApiParams(filters: LibraryFilters, limit: number): Record<string, string> {
  const params: Record<string, string> = {};
  for (const key of TEXT_KEYS) if (filters[key].trim()) params[key] = filters[key].trim();
  for (const key of Object.keys(CHOICES) as ChoiceKey[]) {
    if (filters[key] && key !== 'loan' && key !== 'seasons') params[key] = filters[key];
  }
  // The list takes `on_loan=true` or `overdue=true`, and `incomplete=true`; the view keeps one choice of each.
  if (filters.loan) params[filters.loan] = 'true';
  if (filters.seasons) params[filters.seasons] = 'true';
  for (const [key] of NUMBERS) {
    const value = filters[key];
    if (value !== null) params[key] = String(value);
  }
  params.sort = filters.sort;
  params.order = filters.order;
  params.limit = String(limit);
  return params;
}

/** How many filters (not search, sort or view) narrow the list. */
export function activeFilterCount(filters: LibraryFilters): number {
  let count = 0;
  for (const key of ['genre', 'director', 'cast', 'tag', ...Object.keys(CHOICES)] as Array<TextKey | ChoiceKey>) {
    if (filters[key]) count++;
  }
  for (const [key] of NUMBERS) if (filters[key] !== null) count++;
  return count;
}

/** Clears filters and search but keeps how the user likes to sort and see the list. */
export function clearFilters(filters: LibraryFilters): LibraryFilters {
  return { ...EMPTY_FILTERS, sort: filters.sort, order: filters.order, view: filters.view };
}

/**
 * The form's values after the URL changed: the URL wins, except for what the user is still typing
 * (a trailing space the URL trimmed, a year not yet complete such as "19").
 */
export function mergeDraft(draft: LibraryFilters, fromUrl: LibraryFilters): LibraryFilters {
  const next = { ...fromUrl };
  for (const key of TEXT_KEYS) if (draft[key].trim() === fromUrl[key]) next[key] = draft[key];
  for (const [key, min, max] of NUMBERS) {
    const typed = draft[key];
    if (fromUrl[key] === null && typed !== null && (typed < min || typed > max)) next[key] = typed;
  }
  return next;
}

/** A saved view's query: the list's filters and sort as GET /api/media takes them, without paging. */
export function viewQuery(filters: LibraryFilters): string {
  const params = new URLSearchParams(filtersToApiParams(filters, 1));
  params.delete('limit');
  return params.toString();
}

/** The library path that shows a saved view's query. */
export function viewHref(query: string): string {
  const params = new URLSearchParams(query);
  for (const loan of ['on_loan', 'overdue']) {
    if (params.get(loan) === 'true') params.set('loan', loan);
    params.delete(loan);
  }
  return `/${filtersToSearch(parseFilters(`?${params.toString()}`))}`;
}
