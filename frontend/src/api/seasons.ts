import { apiRequest, type ApiClient } from './client';
import { seg } from './shape';
import type { Season, SeasonInput } from './types';

/** A show's seasons, in order (0 is "Specials"). */
export function listSeasons(mediaId: string, request: ApiClient = apiRequest, signal?: AbortSignal): Promise<Season[]> {
  return request(`/api/media/${seg(mediaId)}/seasons`, { signal });
}

/** Replace a show's seasons; a season a copy holds cannot be left out (422). */
export function saveSeasons(mediaId: string, seasons: SeasonInput[], request: ApiClient = apiRequest): Promise<Season[]> {
  return request(`/api/media/${seg(mediaId)}/seasons`, { method: 'PUT', body: seasons });
}
