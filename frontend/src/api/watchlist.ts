import { apiRequest, type ApiClient } from './client';
import { withQuery } from './shape';
import type { SyncJob, TraktDeviceCode, TraktLinkStatus, TraktPoll, Watchlist } from './types';

export function getWatchlist(request: ApiClient = apiRequest, signal?: AbortSignal): Promise<Watchlist> {
  return request('/api/watchlist', { signal });
}

/** Copies the linked watchlists again; waits up to `wait` seconds for the job to finish. */
export async function syncWatchlist(wait: number, request: ApiClient = apiRequest): Promise<SyncJob> {
  const body = await request<{ job: SyncJob }>(withQuery('/api/watchlist/sync', { wait }), { method: 'POST' });
  return body.job;
}

export function getTraktLink(request: ApiClient = apiRequest, signal?: AbortSignal): Promise<TraktLinkStatus> {
  return request('/api/integrations/trakt/link', { signal });
}

export function startTraktLink(request: ApiClient = apiRequest): Promise<TraktDeviceCode> {
  return request('/api/integrations/trakt/link', { method: 'POST' });
}

export function pollTraktLink(request: ApiClient = apiRequest): Promise<TraktPoll> {
  return request('/api/integrations/trakt/link/poll', { method: 'POST' });
}

export function unlinkTrakt(request: ApiClient = apiRequest): Promise<unknown> {
  return request('/api/integrations/trakt/link', { method: 'DELETE' });
}
