import { apiRequest, type ApiClient } from './client';
import { asList, seg, withQuery } from './shape';
import type { Candidate } from './types';

/** Lookup answers may be a bare list, a page, or `{candidates}` / `{results}`. */
function candidates(body: unknown): Candidate[] {
  const list = asList<Candidate>(body);
  if (list.length) return list;
  if (body && typeof body === 'object') {
    const named = body as { candidates?: unknown; results?: unknown; products?: unknown };
    for (const value of [named.candidates, named.results, named.products]) {
      if (Array.isArray(value)) return value as Candidate[];
    }
  }
  return [];
}

export async function searchTmdb(
  query: string,
  mediaType: 'movie' | 'tv',
  year?: number,
  request: ApiClient = apiRequest,
): Promise<Candidate[]> {
  return candidates(
    await request('/api/media/search-tmdb', { method: 'POST', body: { query, media_type: mediaType, year } }),
  );
}

export function tmdbDetails(tmdbId: number, mediaType: 'movie' | 'tv', request: ApiClient = apiRequest): Promise<Candidate> {
  return request(withQuery(`/api/media/tmdb/${seg(tmdbId)}`, { media_type: mediaType }));
}

export async function lookupUpc(upc: string, request: ApiClient = apiRequest): Promise<Candidate[]> {
  return candidates(await request('/api/media/lookup-upc', { method: 'POST', body: { upc } }));
}

export async function recognizeCover(image: Blob, request: ApiClient = apiRequest): Promise<Candidate[]> {
  const form = new FormData();
  form.append('image', image, image instanceof File ? image.name : 'cover.jpg');
  return candidates(await request('/api/media/recognize-cover', { method: 'POST', body: form }));
}
