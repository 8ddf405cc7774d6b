import { describe, expect, it } from 'vitest';
import { providerStatuses } from './syncStatus';

const job = { id: 'j1', provider: 'plex', kind: 'import', status: 'failed' };

describe('the sync status rows', () => {
  it('lists known providers in a fixed order with their label, state and last job', () => {
    const rows = providerStatuses({
      file: { state: 'idle', last_job: null },
      plex: { state: 'failed', last_job: job },
      trakt: { state: 'running', last_job: null },
    });
    expect(rows.map((row) => [row.label, row.state, row.lastJob?.id ?? null])).toEqual([
      ['Plex', 'failed', 'j1'],
      ['Trakt', 'running', null],
      ['File import', 'idle', null],
    ]);
  });

  it('keeps a provider it does not know after the known ones, named as the server names it', () => {
    const rows = providerStatuses({ jellyfin: { state: 'succeeded', last_job: null }, plex: { state: 'idle' } });
    expect(rows.map((row) => row.label)).toEqual(['Plex', 'jellyfin']);
  });

  it('reads an unknown state as idle and ignores what is not a provider entry', () => {
    expect(providerStatuses({ plex: { state: 'exploded' }, trakt: 'x' })).toEqual([
      { provider: 'plex', label: 'Plex', state: 'idle', lastJob: null },
    ]);
    expect(providerStatuses(null)).toEqual([]);
    expect(providerStatuses([])).toEqual([]);
  });
});
