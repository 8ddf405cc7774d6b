import { apiRequest, type ApiClient } from './client';
import { asList, seg, withQuery, type QueryValue } from './shape';
import type {
  AnnotationInput,
  Copy,
  CopyInput,
  DuplicateGroup,
  Media,
  MediaInput,
  MediaStats,
  MergeResult,
  Page,
  WatchedState,
} from './types';

export function listMedia(
  params: Record<string, QueryValue>,
  cursor: string | null,
  request: ApiClient = apiRequest,
  signal?: AbortSignal,
): Promise<Page<Media>> {
  return request(withQuery('/api/media', { ...params, cursor: cursor ?? undefined }), { signal });
}

export function getMedia(id: string, request: ApiClient = apiRequest, signal?: AbortSignal): Promise<Media> {
  return request(`/api/media/${seg(id)}`, { signal });
}

export function createMedia(input: MediaInput, request: ApiClient = apiRequest): Promise<Media> {
  return request('/api/media', { method: 'POST', body: input });
}

export function updateMedia(id: string, change: MediaInput, request: ApiClient = apiRequest): Promise<Media> {
  return request(`/api/media/${seg(id)}`, { method: 'PATCH', body: change });
}

export function deleteMedia(id: string, request: ApiClient = apiRequest): Promise<unknown> {
  return request(`/api/media/${seg(id)}`, { method: 'DELETE' });
}

export function listTrash(cursor: string | null, request: ApiClient = apiRequest): Promise<Page<Media>> {
  return request(withQuery('/api/media/trash', { limit: 50, cursor: cursor ?? undefined }));
}

export function restoreMedia(id: string, request: ApiClient = apiRequest): Promise<Media> {
  return request(`/api/media/${seg(id)}/restore`, { method: 'POST' });
}

export function addCopy(mediaId: string, copy: CopyInput, request: ApiClient = apiRequest): Promise<Copy> {
  return request(`/api/media/${seg(mediaId)}/copies`, { method: 'POST', body: copy });
}

export function updateCopy(
  mediaId: string,
  copyId: string,
  change: Partial<CopyInput>,
  request: ApiClient = apiRequest,
): Promise<Copy> {
  return request(`/api/media/${seg(mediaId)}/copies/${seg(copyId)}`, { method: 'PATCH', body: change });
}

export function removeCopy(mediaId: string, copyId: string, request: ApiClient = apiRequest): Promise<unknown> {
  return request(`/api/media/${seg(mediaId)}/copies/${seg(copyId)}`, { method: 'DELETE' });
}

export function saveAnnotation(mediaId: string, input: AnnotationInput, request: ApiClient = apiRequest): Promise<unknown> {
  return request(`/api/media/${seg(mediaId)}/annotation`, { method: 'PUT', body: input });
}

/** The caller watched the title: now, or at `watchedAt` (an ISO date-time, not in the future). */
export function markWatched(mediaId: string, watchedAt?: string, request: ApiClient = apiRequest): Promise<WatchedState> {
  return request(`/api/media/${seg(mediaId)}/watched`, { method: 'PUT', body: watchedAt ? { watched_at: watchedAt } : {} });
}

export function clearWatched(mediaId: string, request: ApiClient = apiRequest): Promise<unknown> {
  return request(`/api/media/${seg(mediaId)}/watched`, { method: 'DELETE' });
}

export function getStats(request: ApiClient = apiRequest, signal?: AbortSignal): Promise<MediaStats> {
  return request('/api/media/stats', { signal });
}

export async function listDuplicates(request: ApiClient = apiRequest): Promise<DuplicateGroup[]> {
  const body = await request<unknown>('/api/media/duplicates');
  // The library answers `{groups: [...]}`; a bare list or `{items}` is accepted too.
  const groups = body && typeof body === 'object' && 'groups' in body ? (body as { groups: unknown }).groups : body;
  return asList<DuplicateGroup>(groups);
}

export function mergeMedia(survivorId: string, duplicateIds: string[], request: ApiClient = apiRequest): Promise<MergeResult> {
  return request('/api/media/merge', { method: 'POST', body: { survivor_id: survivorId, duplicate_ids: duplicateIds } });
}

export function revertMerge(mergeId: string, request: ApiClient = apiRequest): Promise<unknown> {
  return request(`/api/media/merges/${seg(mergeId)}/revert`, { method: 'POST' });
}

/** Give a title a TMDB id and TMDB's details (409 `duplicate_title` when another title has the id). */
export function matchMedia(id: string, tmdbId: number, mediaType: 'movie' | 'tv', request: ApiClient = apiRequest): Promise<Media> {
  return request(`/api/media/${seg(id)}/match`, { method: 'POST', body: { tmdb_id: tmdbId, media_type: mediaType } });
}

/** Read a matched title's details from TMDB again. */
export function refreshMedia(id: string, request: ApiClient = apiRequest): Promise<Media> {
  return request(`/api/media/${seg(id)}/refresh`, { method: 'POST' });
}
