import type { Media } from '../api/types';

type Art = Pick<Media, 'poster_url'> & Partial<Pick<Media, 'backdrop_url'>>;

/**
 * The one place that chooses a title's artwork: TMDB's or Plex's poster today. A title's own cover,
 * once covers can be uploaded, goes first here and every poster, backdrop and card follows.
 */
export function posterOf(media: Art): string | null {
  return media.poster_url || null;
}

/** The title page's backdrop: TMDB's wide artwork, else the poster (shown wide and blurred). */
export function backdropOf(media: Art): string | null {
  return media.backdrop_url || posterOf(media);
}
