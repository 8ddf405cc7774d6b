import { describe, expect, it, vi } from 'vitest';
import { createClient } from './client';
import { listDuplicates, matchMedia, refreshMedia } from './media';
import type { DuplicateGroup, Media } from './types';

/** A client whose server answers every request with `body` as JSON. */
function answering(body: unknown) {
  const fetch = vi.fn<typeof globalThis.fetch>(() =>
    Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })),
  );
  return { request: createClient({ fetch, cookies: () => '' }), fetch };
}

const heat = (id: string, format: string) =>
  ({ id, title: 'Heat', year: 1995, media_type: 'movie', copies: [{ id: `c-${id}`, format }] }) as unknown as Media;

describe('listDuplicates', () => {
  it('reads the groups of the library answer {groups: [...]}, keeping each reason and its titles', async () => {
    const groups: DuplicateGroup[] = [
      { reason: 'same_tmdb_id', items: [heat('m1', 'DVD'), heat('m2', 'Blu-ray')] },
      { reason: 'similar_title', items: [heat('m3', 'DVD'), heat('m4', 'DVD')] },
    ];
    const { request, fetch } = answering({ groups });

    const read = await listDuplicates(request);

    expect(fetch.mock.calls[0]?.[0]).toBe('/api/media/duplicates');
    expect(read).toEqual(groups);
    expect(read.map((group) => group.reason)).toEqual(['same_tmdb_id', 'similar_title']);
    expect(read[0]?.items?.map((item) => item.id)).toEqual(['m1', 'm2']);
  });

  it('gives no groups when the library found none', async () => {
    expect(await listDuplicates(answering({ groups: [] }).request)).toEqual([]);
  });

  it('also accepts a bare list or an {items} page', async () => {
    const group: DuplicateGroup = { reason: 'same_title_year', items: [heat('m1', 'DVD')] };
    expect(await listDuplicates(answering([group]).request)).toEqual([group]);
    expect(await listDuplicates(answering({ items: [group], next_cursor: null }).request)).toEqual([group]);
  });

  it('gives no groups for an answer of another shape instead of failing', async () => {
    expect(await listDuplicates(answering({ groups: null }).request)).toEqual([]);
    expect(await listDuplicates(answering(null).request)).toEqual([]);
  });
});

describe('matchMedia and refreshMedia', () => {
  it('posts the picked TMDB id and type to the title, and reads the updated title', async () => {
    const { request, fetch } = answering(heat('m1', 'DVD'));

    const matched = await matchMedia('m1', 949, 'movie', request);
    await refreshMedia('m1', request);

    expect(fetch.mock.calls[0]?.[0]).toBe('/api/media/m1/match');
    expect(fetch.mock.calls[0]?.[1]?.method).toBe('POST');
    expect(JSON.parse(String(fetch.mock.calls[0]?.[1]?.body))).toEqual({ tmdb_id: 949, media_type: 'movie' });
    expect(matched.id).toBe('m1');
    expect(fetch.mock.calls[1]?.[0]).toBe('/api/media/m1/refresh');
    expect(fetch.mock.calls[1]?.[1]?.method).toBe('POST');
  });
});
