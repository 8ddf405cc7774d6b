import { ApiError, apiRequest, type ApiClient } from '../api/client';
import { seg } from '../api/shape';
import type { Media, SpaceRef } from '../api/types';

/**
 * The first of `spaces` whose library holds title `id`, with the title; null when none does. For a
 * link to a title of another of the user's spaces (the active space answers 404).
 */
export async function spaceHolding(
  id: string,
  spaces: readonly SpaceRef[],
  request: ApiClient = apiRequest,
  signal?: AbortSignal,
): Promise<{ space: SpaceRef; media: Media } | null> {
  for (const space of spaces) {
    try {
      const media = await request<Media>(`/api/media/${seg(id)}`, { spaceId: space.id, signal });
      return { space, media };
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 403)) continue;
      throw error;
    }
  }
  return null;
}
