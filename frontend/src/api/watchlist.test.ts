import { describe, expect, it } from 'vitest';
import { answering } from './testClient';
import { getTraktLink, pollTraktLink, startTraktLink, syncWatchlist, unlinkTrakt } from './watchlist';

const sent = (fetch: ReturnType<typeof answering>['fetch']) => {
  const [path, init] = fetch.mock.calls[0] ?? [];
  return [path, init?.method ?? 'GET'];
};

describe('the watchlist client', () => {
  it('starts a sync that waits for its job and gives the job', async () => {
    const { request, fetch } = answering({ job: { id: 'j1', status: 'succeeded' } });

    const job = await syncWatchlist(30, request);

    expect(sent(fetch)).toEqual(['/api/watchlist/sync?wait=30', 'POST']);
    expect(job).toMatchObject({ id: 'j1', status: 'succeeded' });
  });

  it('reads, starts, polls and removes the Trakt link at its one address', async () => {
    const calls: Array<[unknown, string]> = [];
    for (const call of [getTraktLink, startTraktLink, pollTraktLink, unlinkTrakt]) {
      const { request, fetch } = answering({ status: 'pending', interval: 5 }, call === unlinkTrakt ? 204 : 200);
      await call(request);
      calls.push(sent(fetch) as [unknown, string]);
    }
    expect(calls).toEqual([
      ['/api/integrations/trakt/link', 'GET'],
      ['/api/integrations/trakt/link', 'POST'],
      ['/api/integrations/trakt/link/poll', 'POST'],
      ['/api/integrations/trakt/link', 'DELETE'],
    ]);
  });
});
