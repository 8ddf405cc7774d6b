import type { Media } from '../api/types';

type Art = Pick<Media, 'poster_url'> & Partial<Pick<Media, 'backdrop_url' | 'cover_urls'>>;

/**
 * The one place that chooses a title's artwork. The server already puts the own cover first in
 * `poster_url` (then TMDB's, then Plex's poster); every poster, backdrop and card follows it.
 */
export function posterOf(media: Art): string | null {
  return media.poster_url || null;
}

/** The own cover's widths as an `<img srcset>`, so a card loads the small one; null without a cover. */
export function posterSrcSet(media: Art): string | null {
  const urls = media.cover_urls;
  if (!urls) return null;
  const entries = Object.entries(urls)
    .map(([width, url]) => [Number(width), url] as const)
    .filter(([width]) => Number.isFinite(width) && width > 0)
    .sort((a, b) => a[0] - b[0]);
  return entries.length ? entries.map(([width, url]) => `${url} ${width}w`).join(', ') : null;
}

/** The title page's backdrop: TMDB's wide artwork, else the poster (shown wide and blurred). */
export function backdropOf(media: Art): string | null {
  return media.backdrop_url || posterOf(media);
}
