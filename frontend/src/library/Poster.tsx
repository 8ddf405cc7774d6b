import type { Media } from '../api/types';
import { posterOf, posterSrcSet } from './artwork';

/** A film frame for titles without artwork: the kind of title, not an initial. */
function PlaceholderGlyph({ tv }: { tv: boolean }) {
  return (
    <svg className="poster-glyph" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
      {tv ? (
        <path d="M6 12h36v24H6zM18 42h12M24 36v6M16 6l8 6 8-6" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinejoin="round" />
      ) : (
        <path
          d="M8 8h32v32H8zM8 16h32M8 32h32M14 8v8M22 8v8M30 8v8M14 32v8M22 32v8M30 32v8M21 21l7 3-7 3z"
          fill="none"
          stroke="currentColor"
          strokeWidth="2.5"
          strokeLinejoin="round"
        />
      )}
    </svg>
  );
}

/** The poster, or a placeholder with a film or TV glyph and the title; decorative (the title is beside it). */
export function Poster({
  media,
  large = false,
}: {
  media: Pick<Media, 'title' | 'poster_url'> & Partial<Pick<Media, 'media_type' | 'year' | 'cover_urls'>>;
  large?: boolean;
}) {
  const className = large ? 'poster poster-large' : 'poster';
  const src = posterOf(media);
  const srcSet = posterSrcSet(media);
  if (src) {
    // A card is about 150 px wide, the title page's poster about 300 px (twice that on dense screens).
    const sizes = large ? '(max-width: 600px) 40vw, 300px' : '160px';
    return (
      <img
        className={className}
        src={src}
        srcSet={srcSet ?? undefined}
        sizes={srcSet ? sizes : undefined}
        alt=""
        loading="lazy"
        decoding="async"
      />
    );
  }
  return (
    <span className={`${className} poster-empty`} aria-hidden="true" data-testid="poster-placeholder">
      <PlaceholderGlyph tv={media.media_type === 'tv_series'} />
      <span className="poster-empty-title">{media.title.trim() || 'Untitled'}</span>
      {media.year && <span className="poster-empty-year">{media.year}</span>}
    </span>
  );
}
