import type { MediaInput, WatchlistEntry } from '../api/types';
import type { WishInput } from '../api/wishlist';

const PROVIDER_NAMES: Record<string, string> = { plex: 'Plex', trakt: 'Trakt' };

/** The providers that list an entry, by name, each once ("Plex", "Trakt"). */
export function providerNames(entry: Pick<WatchlistEntry, 'providers'>): string[] {
  const names = entry.providers.map(({ provider }) => PROVIDER_NAMES[provider] ?? provider);
  return [...new Set(names)];
}

/** The add-title body for a watchlist entry: its ids go along, so the library can match and enrich it. */
export function libraryInput(entry: WatchlistEntry): MediaInput {
  const input: MediaInput = { title: entry.title, media_type: entry.media_type };
  if (entry.year) input.year = entry.year;
  if (entry.imdb_id) input.imdb_id = entry.imdb_id;
  if (entry.poster_url) input.poster_url = entry.poster_url;
  // A TMDB id names a movie or a show: the library needs to know which (others carry no TMDB id).
  if (entry.tmdb_id && entry.media_type !== 'other') {
    input.tmdb_id = entry.tmdb_id;
    input.tmdb_media_type = entry.media_type === 'movie' ? 'movie' : 'tv';
  }
  return input;
}

/** A stable React key for an entry: its first provider's id. */
export function entryKey(entry: WatchlistEntry): string {
  const first = entry.providers[0];
  return first ? `${first.provider}:${first.external_id}` : `${entry.media_type}:${entry.title}:${entry.year ?? ''}`;
}

/** Marks the entry as held by the space once it was added (the list need not be read again). */
export function markOwned(entries: WatchlistEntry[], added: WatchlistEntry, mediaId: string): WatchlistEntry[] {
  return entries.map((entry) => (entry === added ? { ...entry, owned: true, media_id: mediaId } : entry));
}

type Wishable = Pick<WatchlistEntry, 'title' | 'media_type' | 'year' | 'tmdb_id'>;

/** The wish body for a watchlist entry: what the wishlist form would ask for, at the default priority. */
export function wishInput(entry: WatchlistEntry): WishInput {
  const input: WishInput = { title: entry.title, media_type: entry.media_type, priority: 3 };
  if (entry.year) input.year = entry.year;
  if (entry.tmdb_id && entry.media_type !== 'other') input.tmdb_id = entry.tmdb_id;
  if (entry.imdb_id) input.imdb_id = entry.imdb_id;
  if (entry.poster_url) input.poster_url = entry.poster_url;
  return input;
}

/** What makes a wish and a watchlist entry the same title: the TMDB id and type, else title, year and type. */
export function wishKey(item: Wishable): string {
  if (item.tmdb_id && item.media_type !== 'other') return `tmdb:${item.media_type}:${item.tmdb_id}`;
  return `title:${item.media_type}:${item.title.trim().toLocaleLowerCase()}:${item.year ?? ''}`;
}

/** The keys of the space's wishes, to mark the watchlist entries already wished for. */
export function wishedKeys(wishes: Wishable[]): Set<string> {
  return new Set(wishes.map(wishKey));
}
