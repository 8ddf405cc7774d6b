import { apiRequest, type ApiClient } from './client';
import { seg } from './shape';
import type { Page } from './types';

/** A tag of the space and how many live titles carry it. */
export interface Tag {
  name: string;
  count: number;
}

/** A rename: `merged` when the new name was another tag's, whose titles now carry both. */
export interface TagRenamed extends Tag {
  merged: boolean;
}

/** A named library query (the list's filters and sort), private to its owner or shared with the space. */
export interface SavedView {
  id: string;
  name: string;
  /** The GET /api/media query string, without paging. */
  query: string;
  shared: boolean;
  owner_id: string;
  created_at: string;
  can_delete: boolean;
}

export type SavedViewInput = Pick<SavedView, 'name' | 'query' | 'shared'>;

export function listTags(request: ApiClient = apiRequest, signal?: AbortSignal): Promise<Page<Tag>> {
  return request('/api/tags', { signal });
}

/** Rename a tag (admins); onto an existing name it merges the two. */
export function renameTag(name: string, newName: string, request: ApiClient = apiRequest): Promise<TagRenamed> {
  return request(`/api/tags/${seg(name)}`, { method: 'PATCH', body: { name: newName } });
}

export function listViews(request: ApiClient = apiRequest, signal?: AbortSignal): Promise<Page<SavedView>> {
  return request('/api/views', { signal });
}

export function createView(input: SavedViewInput, request: ApiClient = apiRequest): Promise<SavedView> {
  return request('/api/views', { method: 'POST', body: input });
}

export function deleteView(id: string, request: ApiClient = apiRequest): Promise<unknown> {
  return request(`/api/views/${seg(id)}`, { method: 'DELETE' });
}
