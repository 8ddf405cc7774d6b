import { apiRequest, type ApiClient } from './client';
import { seg, withQuery } from './shape';
import type { CopyFormat, CopyInput, Media, MediaType, Page } from './types';

/** A title the space wants to own (not a provider watchlist entry: those are what to watch). */
export interface Wish {
  id: string;
  title: string;
  year: number | null;
  media_type: MediaType;
  tmdb_id: number | null;
  imdb_id: string | null;
  poster_url: string | null;
  /** 1 is wanted most, 5 least. */
  priority: number;
  format_wanted: CopyFormat | null;
  notes: string | null;
  added_by: string | null;
  created_at: string;
  updated_at: string;
  can_edit: boolean;
}

export type WishInput = Pick<Wish, 'title' | 'media_type' | 'priority'> &
  Partial<Pick<Wish, 'year' | 'tmdb_id' | 'imdb_id' | 'poster_url' | 'format_wanted' | 'notes'>>;

export function listWishes(
  cursor: string | null,
  request: ApiClient = apiRequest,
  signal?: AbortSignal,
  limit = 50,
): Promise<Page<Wish>> {
  return request(withQuery('/api/wishlist', { limit, cursor: cursor ?? undefined }), { signal });
}

export function createWish(input: WishInput, request: ApiClient = apiRequest): Promise<Wish> {
  return request('/api/wishlist', { method: 'POST', body: input });
}

export function updateWish(id: string, change: Partial<WishInput>, request: ApiClient = apiRequest): Promise<Wish> {
  return request(`/api/wishlist/${seg(id)}`, { method: 'PATCH', body: change });
}

export function deleteWish(id: string, request: ApiClient = apiRequest): Promise<unknown> {
  return request(`/api/wishlist/${seg(id)}`, { method: 'DELETE' });
}

/** "Got it": the wish becomes an owned title with this copy; answers the title. */
export function gotIt(id: string, copy: CopyInput, request: ApiClient = apiRequest): Promise<{ media: Media }> {
  return request(`/api/wishlist/${seg(id)}/got-it`, { method: 'POST', body: { copy } });
}
