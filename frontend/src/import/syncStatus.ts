import type { SyncJob } from '../api/types';

export type ProviderState = 'idle' | 'running' | 'failed' | 'succeeded';

export interface ProviderStatus {
  provider: string;
  label: string;
  state: ProviderState;
  lastJob: SyncJob | null;
}

const LABELS: Record<string, string> = { plex: 'Plex', trakt: 'Trakt', file: 'File import' };

export const STATE_LABELS: Record<ProviderState, string> = {
  idle: 'Never run',
  running: 'Running',
  failed: 'Last run failed',
  succeeded: 'Up to date',
};

const STATES = new Set<string>(Object.keys(STATE_LABELS));

/** `GET /api/sync-status` as rows: known providers first in a fixed order, unknown ones after. */
export function providerStatuses(body: unknown): ProviderStatus[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  const order = Object.keys(LABELS);
  const rank = (provider: string) => (order.includes(provider) ? order.indexOf(provider) : order.length);
  return Object.entries(body as Record<string, unknown>)
    .filter((entry): entry is [string, Record<string, unknown>] => !!entry[1] && typeof entry[1] === 'object')
    .map(([provider, entry]) => ({
      provider,
      label: LABELS[provider] ?? provider,
      state: (STATES.has(String(entry.state)) ? entry.state : 'idle') as ProviderState,
      lastJob: entry.last_job && typeof entry.last_job === 'object' ? (entry.last_job as SyncJob) : null,
    }))
    .sort((a, b) => rank(a.provider) - rank(b.provider) || a.provider.localeCompare(b.provider));
}
