import { apiRequest, type ApiClient } from './client';
import { seg } from './shape';
import type { Media } from './types';

/** Upload a title's own cover (JPEG, PNG or WebP); the title comes back with its new `cover_urls`. */
export function setCover(mediaId: string, image: Blob, request: ApiClient = apiRequest): Promise<Media> {
  const form = new FormData();
  form.append('image', image, image instanceof File ? image.name : 'cover');
  return request(`/api/media/${seg(mediaId)}/cover`, { method: 'PUT', body: form });
}

/** Remove the own cover: the title shows its TMDB or Plex poster again. */
export function removeCover(mediaId: string, request: ApiClient = apiRequest): Promise<void> {
  return request(`/api/media/${seg(mediaId)}/cover`, { method: 'DELETE' });
}
