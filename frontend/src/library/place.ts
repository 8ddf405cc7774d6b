import type { PagingState } from '../app/paging';

/** Where the user was in the library: the loaded pages of one view and how far down the page. */
export interface LibraryPlace<T> {
  spaceId: string;
  key: string;
  state: PagingState<T>;
  scrollY: number;
  savedAt: number;
}

// Long enough to read a title page; after that the list may have changed enough to load afresh.
export const PLACE_TTL_MS = 30 * 60 * 1000;

let saved: LibraryPlace<unknown> | null = null;

/** Remembers the place as the user leaves the library for a title. */
export function savePlace<T>(place: LibraryPlace<T>): void {
  saved = place as LibraryPlace<unknown>;
}

/** The remembered place, once, when it is of the same space and view and recent enough. */
export function takePlace<T>(spaceId: string, key: string, now: number = Date.now()): LibraryPlace<T> | undefined {
  const place = saved;
  saved = null;
  if (!place || place.spaceId !== spaceId || place.key !== key) return undefined;
  if (now - place.savedAt > PLACE_TTL_MS || place.state.status !== 'ready') return undefined;
  return place as LibraryPlace<T>;
}
