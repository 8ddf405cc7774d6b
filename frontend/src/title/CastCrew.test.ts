import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CastCrew } from './CastCrew';

const render = (media: Parameters<typeof CastCrew>[0]['media']) => renderToStaticMarkup(createElement(CastCrew, { media }));

describe('CastCrew', () => {
  it('lists directors, then the main cast, each linking to the library filtered by that person', () => {
    const html = render({ media_type: 'movie', directors: ['Michael Mann'], cast: ['Al Pacino', 'Robert De Niro'] });
    expect(html).toContain('Cast and crew');
    expect(html.indexOf('Michael Mann')).toBeLessThan(html.indexOf('Al Pacino'));
    expect(html).toContain('>Director<');
    expect(html).toContain('href="/?director=Michael+Mann"');
    expect(html).toContain('href="/?cast=Al+Pacino"');
    expect(html.match(/>Cast</g)).toHaveLength(2);
  });

  it("names a show's creators as creators", () => {
    expect(render({ media_type: 'tv_series', directors: ['David Simon'], cast: [] })).toContain('>Creator<');
  });

  it('keeps the main cast to twelve names', () => {
    const cast = Array.from({ length: 20 }, (_, index) => `Actor ${index}`);
    const html = render({ media_type: 'movie', directors: [], cast });
    expect(html).toContain('Actor 11');
    expect(html).not.toContain('Actor 12');
  });

  it('names the character each cast member plays, "Name as Character", and "Cast" where none is known', () => {
    const html = render({
      media_type: 'movie',
      directors: [],
      cast: ['Al Pacino', 'Robert De Niro', 'Val Kilmer'],
      cast_characters: ['Vincent Hanna', 'Neil McCauley', null],
    });
    expect(html).toMatch(/>Al Pacino<\/a><div class="muted small">as Vincent Hanna</);
    expect(html).toMatch(/>Robert De Niro<\/a><div class="muted small">as Neil McCauley</);
    expect(html).toMatch(/>Val Kilmer<\/a><div class="muted small">Cast</);
  });

  it('shows nothing when no one is known', () => {
    expect(render({ media_type: 'movie', directors: [], cast: [] })).toBe('');
  });
});
