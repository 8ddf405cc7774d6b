import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { backdropOf, posterOf } from './artwork';
import { Poster } from './Poster';
import { seasonsLabel } from './present';

const render = (media: Parameters<typeof Poster>[0]['media'], large = false) =>
  renderToStaticMarkup(createElement(Poster, { media, large }));

describe('Poster', () => {
  it('shows the artwork when the title has some', () => {
    const html = render({ title: 'Heat', poster_url: 'https://image.tmdb.org/t/p/w500/heat.jpg' });
    expect(html).toContain('<img');
    expect(html).toContain('src="https://image.tmdb.org/t/p/w500/heat.jpg"');
    expect(html).not.toContain('poster-placeholder');
  });

  it('without artwork, shows a placeholder naming the title and year, with a film or TV glyph', () => {
    const film = render({ title: 'The Third Man', poster_url: null, media_type: 'movie', year: 1949 }, true);
    const show = render({ title: 'The Wire', poster_url: null, media_type: 'tv_series' });
    expect(film).toContain('data-testid="poster-placeholder"');
    expect(film).toContain('The Third Man');
    expect(film).toContain('1949');
    expect(film).toContain('<svg');
    expect(film).toContain('poster-large');
    expect(show).toContain('The Wire');
    expect(show).not.toEqual(film.replace('The Third Man', 'The Wire'));
  });

  it('treats an empty artwork address as none', () => {
    expect(render({ title: 'Alien', poster_url: '' })).toContain('poster-placeholder');
  });
});

describe('artwork', () => {
  it('chooses the poster, and the backdrop with the poster as its fallback, in one place', () => {
    expect(posterOf({ poster_url: '/p.jpg' })).toBe('/p.jpg');
    expect(backdropOf({ poster_url: '/p.jpg' })).toBe('/p.jpg');
    expect(posterOf({ poster_url: null })).toBeNull();
    expect(backdropOf({ poster_url: '' })).toBeNull();
    expect(backdropOf({ poster_url: '/p.jpg', backdrop_url: '/wide.jpg' })).toBe('/wide.jpg');
  });
});

describe('seasonsLabel', () => {
  it('says how many seasons and episodes a show has, in words', () => {
    expect(seasonsLabel(5, 62)).toBe('5 seasons, 62 episodes');
    expect(seasonsLabel(1, 1)).toBe('1 season, 1 episode');
    expect(seasonsLabel(2, null)).toBe('2 seasons');
    expect(seasonsLabel(null, 8)).toBe('8 episodes');
    expect(seasonsLabel(null, undefined)).toBeNull();
  });
});
