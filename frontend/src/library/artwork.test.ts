import { describe, expect, it } from 'vitest';
import { posterOf, posterSrcSet } from './artwork';

describe('artwork', () => {
  const cover = { '1000': '/api/covers/k/1000.webp', '200': '/api/covers/k/200.webp', '500': '/api/covers/k/500.webp' };

  it('lists the own cover widths smallest first', () => {
    expect(posterSrcSet({ poster_url: cover['500'], cover_urls: cover })).toBe(
      '/api/covers/k/200.webp 200w, /api/covers/k/500.webp 500w, /api/covers/k/1000.webp 1000w',
    );
  });

  it('has no srcset without an own cover, and shows the poster the server chose', () => {
    const tmdb = { poster_url: 'https://image.tmdb.org/t/p/w500/x.jpg', cover_urls: null };
    expect(posterSrcSet(tmdb)).toBeNull();
    expect(posterOf(tmdb)).toBe(tmdb.poster_url);
  });
});
