import type { Media } from '../api/types';

/** The poster, or a plain placeholder with the title's initial; decorative (the title is beside it). */
export function Poster({ media, large = false }: { media: Pick<Media, 'title' | 'poster_url'>; large?: boolean }) {
  const className = large ? 'poster poster-large' : 'poster';
  if (media.poster_url) {
    return <img className={className} src={media.poster_url} alt="" loading="lazy" decoding="async" />;
  }
  return (
    <span className={`${className} poster-empty`} aria-hidden="true">
      {media.title.trim().charAt(0).toUpperCase() || '?'}
    </span>
  );
}
