import { describe, expect, it } from 'vitest';
import { matchPath, safeReturnPath } from './routes';

describe('routes', () => {
  it('matches fixed paths and named parts', () => {
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/titles/:id', '/titles/abc')).toEqual({ id: 'abc' });
    expect(matchPath('/invite/:token', '/invite/a%2Bb/')).toEqual({ token: 'a+b' });
    expect(matchPath('/titles/:id', '/titles')).toBeNull();
    expect(matchPath('/add', '/admin')).toBeNull();
  });

  it('returns only to the app’s own pages after sign-in', () => {
    expect(safeReturnPath('/invite/x')).toBe('/invite/x');
    expect(safeReturnPath('//evil.example')).toBe('/');
    expect(safeReturnPath('https://evil.example')).toBe('/');
    expect(safeReturnPath(null)).toBe('/');
  });
});
