import { describe, expect, it, vi } from 'vitest';
import { createClient } from './client';
import { asList, withQuery } from './shape';

describe('api helpers', () => {
  it('builds query strings from the defined values only', () => {
    expect(withQuery('/api/media', { q: 'the thing', genre: '', year_min: 1980, cursor: undefined, x: null })).toBe(
      '/api/media?q=the+thing&year_min=1980',
    );
    expect(withQuery('/api/media')).toBe('/api/media');
  });

  it('reads a bare list or a page', () => {
    expect(asList([1, 2])).toEqual([1, 2]);
    expect(asList({ items: [3], next_cursor: null })).toEqual([3]);
    expect(asList({ nope: 1 })).toEqual([]);
  });

  it('sends a multipart body as it is, with the CSRF header but no JSON content type', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(() => Promise.resolve(new Response('[]', { status: 200 })));
    const request = createClient({ fetch, cookies: () => 'csrf_token=t1' });
    const form = new FormData();
    form.append('image', new Blob(['x']), 'cover.jpg');
    await request('/api/media/recognize-cover', { method: 'POST', body: form });
    const init = fetch.mock.calls[0]?.[1];
    const headers = init?.headers as Record<string, string>;
    expect(init?.body).toBe(form);
    expect(headers['Content-Type']).toBeUndefined();
    expect(headers['X-CSRF-Token']).toBe('t1');
  });

  it('names another space with X-Space-Id when asked', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(() => Promise.resolve(new Response('{}', { status: 200 })));
    await createClient({ fetch, cookies: () => '' })('/api/media', { spaceId: 's2' });
    expect((fetch.mock.calls[0]?.[1]?.headers as Record<string, string>)['X-Space-Id']).toBe('s2');
  });
});

describe('feature flags', () => {
  it('reads a page, a list or a map of flags', async () => {
    const { listFeatureFlags } = await import('./admin');
    const answer = (body: unknown) => () => Promise.resolve(body) as never;
    expect(await listFeatureFlags(answer({ items: [], next_cursor: null, total: 0, total_is_lower_bound: false }))).toEqual([]);
    expect(await listFeatureFlags(answer([{ key: 'a', enabled: true }]))).toEqual([{ key: 'a', enabled: true }]);
    expect(await listFeatureFlags(answer({ open_registration: false }))).toEqual([{ key: 'open_registration', enabled: false }]);
  });
});
