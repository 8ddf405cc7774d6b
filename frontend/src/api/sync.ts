import { apiRequest, type ApiClient } from './client';
import { asList, seg, withQuery } from './shape';
import type { Page, SyncJob, SyncSchedule } from './types';

export async function startPlexImport(sectionKeys: string[] | undefined, request: ApiClient = apiRequest): Promise<SyncJob> {
  const body = await request<{ job?: SyncJob } & Partial<SyncJob>>('/api/media/import-plex', {
    method: 'POST',
    body: sectionKeys && sectionKeys.length ? { section_keys: sectionKeys } : {},
  });
  return (body.job ?? body) as SyncJob;
}

export function listSyncJobs(
  filters: { status?: string; provider?: string },
  cursor: string | null,
  request: ApiClient = apiRequest,
): Promise<Page<SyncJob>> {
  return request(withQuery('/api/sync-jobs', { ...filters, limit: 20, cursor: cursor ?? undefined }));
}

export async function getSyncJob(id: string, request: ApiClient = apiRequest, signal?: AbortSignal): Promise<SyncJob> {
  const body = await request<{ job?: SyncJob } & Partial<SyncJob>>(`/api/sync-jobs/${seg(id)}`, { signal });
  return (body.job ?? body) as SyncJob;
}

export function cancelSyncJob(id: string, request: ApiClient = apiRequest): Promise<unknown> {
  return request(`/api/sync-jobs/${seg(id)}/cancel`, { method: 'POST' });
}

/** Per provider of the active space: its state and latest job. */
export function getSyncStatus(request: ApiClient = apiRequest, signal?: AbortSignal): Promise<Record<string, unknown>> {
  return request('/api/sync-status', { signal });
}

export async function listSchedules(spaceId: string, request: ApiClient = apiRequest): Promise<SyncSchedule[]> {
  return asList<SyncSchedule>(await request(`/api/spaces/${seg(spaceId)}/sync-schedules`));
}

export async function saveSchedules(
  spaceId: string,
  schedules: Array<Pick<SyncSchedule, 'provider' | 'kind' | 'every_minutes' | 'enabled'>>,
  request: ApiClient = apiRequest,
): Promise<SyncSchedule[]> {
  return asList<SyncSchedule>(
    await request(`/api/spaces/${seg(spaceId)}/sync-schedules`, { method: 'PUT', body: schedules }),
  );
}

/** Every failed or skipped row of a job with its reason, as a CSV download. */
export function jobErrorsCsvUrl(id: string): string {
  return `/api/sync-jobs/${seg(id)}/errors.csv`;
}
